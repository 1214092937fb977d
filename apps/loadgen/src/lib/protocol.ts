import { DeliveredMessage } from './accounting';

/**
 * What the load generator needs of a chat system's client protocol: connect one user, join rooms,
 * send with an acknowledgement, receive deliveries. The workload, the accounting and the
 * histograms are the same whatever adapter speaks to the system under test.
 */
export interface ProtocolAdapter {
  /** The name given with --protocol. */
  readonly name: ProtocolName;
  /** One connection of its own for one user (no multiplexing), no reconnection by the adapter. */
  connect(baseUrl: string, token: string, events: ClientEvents, timeoutMs: number): Promise<ConnectOutcome>;
}

export const PROTOCOL_NAMES = ['socketio', 'centrifugo'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

export interface ClientEvents {
  onMessage(message: DeliveredMessage): void;
  /** The connection went away without close() (counted, logged). */
  onDisconnect(reason: string): void;
}

export interface ConnectOutcome {
  client?: ChatClient;
  error?: string;
  ms: number;
}

/** The identity the system gave a message in its ack; absent when the protocol's ack carries none. */
export interface AckedIdentity {
  messageId: string;
  offset: number;
  roomId: string;
}

export type SendOutcome = { ok: true; message?: AckedIdentity } | { ok: false; code: string };
export type JoinOutcome = { ok: true } | { ok: false; code: string };

export interface ChatClient {
  readonly connected: boolean;
  join(roomId: string, timeoutMs: number): Promise<JoinOutcome>;
  /** Sends without waiting; `done` is called once, with the ack or the failure (TIMEOUT after timeoutMs). */
  send(roomId: string, clientMsgId: string, body: string, timeoutMs: number, done: (outcome: SendOutcome) => void): void;
  close(): void;
}
