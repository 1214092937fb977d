import type { PipelineBatcher } from '@chat/redis';
import { ErrorCode, Message, ProtocolError } from '@chat/contracts';

/** The identity a send gets the first time its clientMsgId is seen; retries reuse it. */
export interface SendDraft {
  messageId: string;
  sentAt: string;
}

export type SendClaim =
  | { kind: 'first'; draft: SendDraft }
  | { kind: 'retry'; draft: SendDraft }
  | { kind: 'done'; message: Message };

type Stored = { draft: SendDraft; message?: Message };

/**
 * Remembers each (sender, room, clientMsgId) in Redis, so a retried send — on this gateway or
 * another — returns the first send's message instead of creating a second one. Commands go
 * through a pipeline per event-loop turn: Redis costs a round trip per batch of sends.
 */
export class SendDedupeStore {
  constructor(
    private readonly pipeline: PipelineBatcher,
    private readonly ttlSec: number,
  ) {}

  static key(senderId: string, roomId: string, clientMsgId: string): string {
    return `chat:send:${senderId}:${roomId}:${clientMsgId}`;
  }

  async claim(key: string, draft: SendDraft): Promise<SendClaim> {
    const stored: Stored = { draft };
    // SET NX GET (Redis 7): one round trip either claims the key or returns what is there.
    const previous = await this.call<string | null>((p) => p.set(key, JSON.stringify(stored), 'EX', this.ttlSec, 'NX', 'GET'));
    if (previous === null) return { kind: 'first', draft };
    const existing = JSON.parse(previous) as Stored;
    return existing.message ? { kind: 'done', message: existing.message } : { kind: 'retry', draft: existing.draft };
  }

  async complete(key: string, message: Message): Promise<void> {
    const stored: Stored = { draft: { messageId: message.messageId, sentAt: message.sentAt }, message };
    await this.call((p) => p.set(key, JSON.stringify(stored), 'EX', this.ttlSec));
  }

  private async call<T>(command: Parameters<PipelineBatcher['run']>[0]): Promise<T> {
    try {
      return await this.pipeline.run<T>(command);
    } catch (error) {
      throw new ProtocolError(ErrorCode.UNAVAILABLE, `dedupe store unavailable: ${(error as Error).message}`);
    }
  }
}
