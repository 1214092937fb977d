import { Message, toMessage } from '@chat/contracts';

/** A messages row as pg returns it: bigint arrives as a string, timestamptz as a Date. */
export interface MessageRow {
  message_id: string;
  room_id: string;
  sender_id: string;
  client_msg_id: string;
  body: string;
  kafka_offset: string;
  sent_at: Date;
}

export const MESSAGE_COLUMNS = 'message_id, room_id, sender_id, client_msg_id, body, kafka_offset, sent_at';

export function rowToMessage(row: MessageRow): Message {
  const offset = Number(row.kafka_offset);
  if (!Number.isSafeInteger(offset)) throw new Error(`offset ${row.kafka_offset} of ${row.message_id} exceeds 2^53`);
  return toMessage(
    {
      messageId: row.message_id,
      roomId: row.room_id,
      senderId: row.sender_id,
      body: row.body,
      clientMsgId: row.client_msg_id,
      sentAt: row.sent_at.toISOString(),
    },
    offset,
  );
}

/**
 * Column-wise arrays for INSERT ... SELECT FROM unnest(...): seven parameters whatever the batch
 * size, so a large batch never hits PostgreSQL's 65535-parameter limit.
 */
export function toColumns(messages: readonly Message[]): unknown[] {
  return [
    messages.map((m) => m.messageId),
    messages.map((m) => m.roomId),
    messages.map((m) => m.senderId),
    messages.map((m) => m.clientMsgId),
    messages.map((m) => m.body),
    messages.map((m) => String(m.offset)),
    messages.map((m) => m.sentAt),
  ];
}
