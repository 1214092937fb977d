import { createHash } from 'node:crypto';
import type { PipelineBatcher } from '@chat/redis';
import type { Logger } from '@chat/logging';
import { z } from 'zod';
import { ChatMessageRecordSchema, jsonCodec, Message, MessageSchema } from '@chat/contracts';
import { LocalSendWindow } from './local-send-window';

/** The identity a send gets the first time its clientMsgId is seen; retries reuse it. */
export interface SendDraft {
  messageId: string;
  sentAt: string;
}

export type SendClaim =
  | { kind: 'first'; draft: SendDraft }
  | { kind: 'retry'; draft: SendDraft }
  | { kind: 'done'; message: Message };

/**
 * The value of a dedupe key: the first send's identity, and its message once Kafka acked it.
 * Every gateway reads what any other wrote, so it is decoded against this schema.
 */
const StoredSend = jsonCodec(
  z.object({
    draft: ChatMessageRecordSchema.pick({ messageId: true, sentAt: true }),
    message: MessageSchema.optional(),
  }),
);

/**
 * Remembers each (sender, room, clientMsgId) in Redis, so a retried send — on this gateway or
 * another — returns the first send's message instead of creating a second one. Commands go
 * through a pipeline per event-loop turn: Redis costs a round trip per batch of sends.
 *
 * Redis holds only this memory, never the message: while it cannot be reached, sends go on and
 * are remembered in this gateway's LocalSendWindow instead (ADR 0011).
 */
export class SendDedupeStore {
  private warnedAt = 0;

  constructor(
    private readonly pipeline: PipelineBatcher,
    private readonly ttlSec: number,
    private readonly local: LocalSendWindow,
    private readonly logger: Logger,
  ) {}

  /**
   * One key per tuple, whatever the strings hold: ids may contain the separator (a room
   * `dm:alice:bob` and a clientMsgId `alice:bob:c1` must not meet), so the tuple is hashed
   * in an encoding that is injective (a JSON array), which also keeps keys short.
   */
  static key(senderId: string, roomId: string, clientMsgId: string): string {
    const digest = createHash('sha256').update(JSON.stringify([senderId, roomId, clientMsgId])).digest('base64url');
    return `chat:send:${digest}`;
  }

  async claim(key: string, draft: SendDraft): Promise<SendClaim> {
    const local = this.local.find(key);
    if (local) return local;
    const stored = StoredSend.encode({ draft });
    try {
      // SET NX GET (Redis 7): one round trip either claims the key or returns what is there.
      const previous = await this.pipeline.run<string | null>((p) => p.set(key, stored, 'EX', this.ttlSec, 'NX', 'GET'));
      if (previous === null) return { kind: 'first', draft };
      const existing = StoredSend.decode(previous);
      if (!existing.ok) {
        // Not ours to trust: this gateway's memory decides, and complete() overwrites the value.
        this.logger.warn({ key, error: existing.error }, 'invalid send dedupe value; claiming in this gateway instead');
        return this.local.claim(key, draft);
      }
      const { message, draft: first } = existing.value;
      return message ? { kind: 'done', message } : { kind: 'retry', draft: first };
    } catch (error) {
      this.warnDegraded(error as Error);
      return this.local.claim(key, draft);
    }
  }

  /** Best effort: the message is durable in Kafka already, and the persister dedupes storage. */
  async complete(key: string, message: Message): Promise<void> {
    this.local.complete(key, message);
    const stored = StoredSend.encode({ draft: { messageId: message.messageId, sentAt: message.sentAt }, message });
    await this.pipeline.run((p) => p.set(key, stored, 'EX', this.ttlSec)).catch((error: Error) => this.warnDegraded(error));
  }

  /** Once every 10 s at most: an outage would otherwise log once per send. */
  private warnDegraded(error: Error): void {
    const now = Date.now();
    if (now - this.warnedAt < 10_000) return;
    this.warnedAt = now;
    this.logger.warn({ err: error, remembered: this.local.size }, 'dedupe store unreachable; remembering sends in this gateway meanwhile');
  }
}
