import { ChatMessageRecord, ChatMessagesTopic, ChatSignal, ChatSignalsTopic, encodeRecord, OpsLogRecord, OpsLogsTopic, PresenceChange, PresenceChangesTopic } from '@chat/contracts';
import type { SourceRecord } from '@chat/kafka';

let sequence = 0;

export function messageRecord(overrides: Partial<ChatMessageRecord> = {}): ChatMessageRecord {
  sequence++;
  return {
    messageId: `m-${sequence}`,
    roomId: 'general',
    senderId: 'alice',
    body: 'hello',
    clientMsgId: `c-${sequence}`,
    sentAt: '2026-11-24T10:00:00.000Z',
    ...overrides,
  };
}

export function typingSignal(roomId: string, userId = 'alice'): ChatSignal {
  return { type: 'typing', roomId, userId, typing: true, origin: { gatewayId: 'g-1', connectionId: 'c-1' } };
}

export function receiptSignal(roomId: string, userId = 'alice'): ChatSignal {
  return { type: 'receipt', roomId, userId, offset: 3, origin: { gatewayId: 'g-1', connectionId: 'c-1' } };
}

export function presenceChange(userId: string, status: 'online' | 'offline', lastSeenAt: string): PresenceChange {
  return { userId, status, lastSeenAt, rooms: [] };
}

export function opsLog(overrides: Partial<OpsLogRecord> = {}): OpsLogRecord {
  return { service: 'gateway', instance: 'g-1', level: 'error', message: 'produce failed', errorType: 'KafkaJSError', time: '2026-11-24T10:00:00.000Z', ...overrides };
}

const encoders = {
  message: (p: ChatMessageRecord) => encodeRecord(ChatMessagesTopic, p).value,
  signal: (p: ChatSignal) => encodeRecord(ChatSignalsTopic, p).value,
  presence: (p: PresenceChange) => encodeRecord(PresenceChangesTopic, p).value,
  log: (p: OpsLogRecord) => encodeRecord(OpsLogsTopic, p).value,
};

/** Kafka records at consecutive offsets from `first`, as a BatchConsumer hands them over. */
export function sourceRecords<K extends keyof typeof encoders>(
  kind: K,
  payloads: readonly Parameters<(typeof encoders)[K]>[0][],
  first = 0,
  timestamp = Date.parse('2026-11-24T10:00:00.000Z'),
): SourceRecord[] {
  const encode = encoders[kind] as (p: unknown) => string;
  return payloads.map((payload, i) => ({
    key: null,
    value: Buffer.from(encode(payload)),
    offset: String(first + i),
    timestamp: String(timestamp),
  }));
}
