import { ChatMessageRecord, ChatSignal, ChatSignalsTopic, encodeRecord, ChatMessagesTopic, Message, toMessage } from '@chat/contracts';
import type { SourceRecord } from '@chat/kafka';

let counter = 0;

export function chatRecord(overrides: Partial<ChatMessageRecord> = {}): ChatMessageRecord {
  counter++;
  return {
    messageId: `m-${process.pid}-${Date.now()}-${counter}`,
    roomId: 'lobby',
    senderId: 'alice',
    body: `hello ${counter}`,
    clientMsgId: `c-${counter}`,
    sentAt: new Date(Date.UTC(2025, 0, 1, 12, 0, 0, counter % 1000)).toISOString(),
    ...overrides,
  };
}

export function message(offset: number, overrides: Partial<ChatMessageRecord> = {}): Message {
  return toMessage(chatRecord(overrides), offset);
}

/** A consumed record as kafkajs hands it over, encoded through the contract like the gateway does. */
export function sourceRecord(payload: ChatMessageRecord, offset: number): SourceRecord {
  const { key, value } = encodeRecord(ChatMessagesTopic, payload);
  return rawRecord(value, offset, key);
}

export function rawRecord(value: string | null, offset: number, key: string | null = 'lobby'): SourceRecord {
  return {
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    offset: String(offset),
    timestamp: '1735732800000',
    headers: { 'trace-id': Buffer.from('t-1') },
  };
}

const origin = { gatewayId: 'gw-test', connectionId: 'conn-1' };

/** A read receipt as the gateway publishes it to chat.signals.v1. */
export function receiptSignal(roomId: string, userId: string, offset: number): ChatSignal {
  return { type: 'receipt', roomId, userId, offset, origin };
}

export function typingSignal(roomId: string, userId: string, typing = true): ChatSignal {
  return { type: 'typing', roomId, userId, typing, origin };
}

/** A consumed chat.signals.v1 record, encoded through the contract. */
export function signalRecord(signal: ChatSignal, offset: number): SourceRecord {
  const { key, value } = encodeRecord(ChatSignalsTopic, signal);
  return rawRecord(value, offset, key);
}
