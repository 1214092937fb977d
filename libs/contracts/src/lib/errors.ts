/**
 * Error codes of protocol v1, and those added for limits since (docs/protocol.md §12); every
 * failed ack carries exactly one of these.
 */
export const ErrorCode = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  /** Addition: the handshake's connect_error when the user already has the most connections a gateway allows. */
  TOO_MANY_CONNECTIONS: 'TOO_MANY_CONNECTIONS',
  /** Addition: room:join on a connection already in the most rooms a connection may join. */
  TOO_MANY_ROOMS: 'TOO_MANY_ROOMS',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Whether a client may retry the same request unchanged and expect a different outcome. */
const RETRYABLE: Readonly<Record<ErrorCode, boolean>> = {
  UNAUTHORIZED: false,
  FORBIDDEN: false,
  INVALID_PAYLOAD: false,
  NOT_IN_ROOM: false,
  PAYLOAD_TOO_LARGE: false,
  RATE_LIMITED: true,
  UNAVAILABLE: true,
  INTERNAL: false,
  // Neither clears by waiting: the client must close a connection or leave a room first.
  TOO_MANY_CONNECTIONS: false,
  TOO_MANY_ROOMS: false,
};

export interface ProtocolErrorBody {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

/** Thrown anywhere in a handler to answer the ack with a protocol error instead of crashing. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }

  toBody(): ProtocolErrorBody {
    return { code: this.code, message: this.message, retryable: RETRYABLE[this.code] };
  }
}

export function isRetryable(code: ErrorCode): boolean {
  return RETRYABLE[code];
}
