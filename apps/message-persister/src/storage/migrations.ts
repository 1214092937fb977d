export interface Migration {
  /** Applied in ascending order; never renumber or edit one that has shipped. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create messages',
    sql: `
      CREATE TABLE messages (
        message_id    text PRIMARY KEY,
        room_id       text        NOT NULL,
        sender_id     text        NOT NULL,
        client_msg_id text        NOT NULL,
        body          text        NOT NULL,
        kafka_offset  bigint      NOT NULL,
        sent_at       timestamptz NOT NULL,
        stored_at     timestamptz NOT NULL DEFAULT now(),
        -- The sender is part of the key so one user cannot pre-empt another's clientMsgId.
        CONSTRAINT messages_client_msg_key UNIQUE (room_id, sender_id, client_msg_id)
      );
      -- A room lives on one partition, so its offsets are unique; this also serves every history slice.
      CREATE UNIQUE INDEX messages_room_offset_key ON messages (room_id, kafka_offset);
    `,
  },
  {
    version: 2,
    name: 'create read_positions',
    sql: `
      -- Each user's read position per room: the Kafka offset of the last message they read.
      -- Only ever moves forward (see ReadPositionRepository.advance).
      CREATE TABLE read_positions (
        room_id     text        NOT NULL,
        user_id     text        NOT NULL,
        read_offset bigint      NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (room_id, user_id)
      );
    `,
  },
];
