import { EventEmitter } from 'node:events';
import type { EachMessagePayload, Kafka, ProducerRecord } from 'kafkajs';
import pino from 'pino';
import { ErrorCode, ReplyHeaders } from '@chat/contracts';
import { HistoryClient } from './history.client';

/** A fake kafkajs (unit test): one producer recording sends, consumers whose handler the test drives. */
class FakeKafka {
  readonly sent: ProducerRecord[] = [];
  readonly consumers: Array<{ emitter: EventEmitter; eachMessage?: (p: EachMessagePayload) => Promise<void>; disconnected: boolean }> = [];

  producer() {
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async (record: ProducerRecord) => {
        this.sent.push(record);
        return [];
      },
    };
  }

  consumer() {
    const state = { emitter: new EventEmitter(), eachMessage: undefined as ((p: EachMessagePayload) => Promise<void>) | undefined, disconnected: false };
    this.consumers.push(state);
    return {
      events: { GROUP_JOIN: 'join', CRASH: 'crash' },
      on: (event: string, listener: (e: unknown) => void) => state.emitter.on(event, listener),
      connect: async () => undefined,
      subscribe: async () => undefined,
      run: async ({ eachMessage }: { eachMessage: (p: EachMessagePayload) => Promise<void> }) => {
        state.eachMessage = eachMessage;
        setImmediate(() => state.emitter.emit('join'));
      },
      disconnect: async () => void (state.disconnected = true),
    };
  }

  /** Answers the last request with `value` (and extra headers) on the newest consumer. */
  async reply(value: unknown, headers: Record<string, string> = {}, correlationId = this.lastCorrelationId()): Promise<void> {
    const consumer = this.consumers[this.consumers.length - 1];
    await consumer?.eachMessage?.({
      message: { value: Buffer.from(JSON.stringify(value)), headers: { [ReplyHeaders.CorrelationId]: correlationId, ...headers } },
    } as unknown as EachMessagePayload);
  }

  lastCorrelationId(): string {
    const headers = this.sent[this.sent.length - 1]?.messages[0]?.headers ?? {};
    return String(headers[ReplyHeaders.CorrelationId]);
  }
}

const logger = pino({ level: 'silent' });
const flush = () => new Promise((resolve) => setImmediate(resolve));

async function started(timeoutMs = 1000) {
  const kafka = new FakeKafka();
  const client = new HistoryClient(kafka as unknown as Kafka, 'gateway-history.test', timeoutMs, logger);
  await client.start();
  return { kafka, client };
}

describe('HistoryClient (fake Kafka)', () => {
  it('resolves a page with the reply that carries its correlation id, ignoring others', async () => {
    const { kafka, client } = await started();
    const page = client.page({ mode: 'latest', roomId: 'general', limit: 2 });
    await flush();
    expect(kafka.sent[0]?.messages[0]?.headers?.[ReplyHeaders.ReplyTopic]).toBe('history.replies.v1');
    await kafka.reply({ ok: true, messages: [], hasMore: true }, {}, 'someone-else');
    await kafka.reply({ ok: true, messages: [], hasMore: false });
    await expect(page).resolves.toEqual({ messages: [], hasMore: false });
  });

  it('answers UNAVAILABLE when no reply comes in time, or the store is down; INTERNAL when the request was refused', async () => {
    const { kafka, client } = await started(50);
    await expect(client.page({ mode: 'latest', roomId: 'general', limit: 2 })).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });

    const down = client.readState('general', 'alice');
    await flush();
    await kafka.reply({ ok: false, error: 'db down', retryable: true });
    await expect(down).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });

    const refused = client.page({ mode: 'latest', roomId: 'general', limit: 2 });
    await flush();
    await kafka.reply({ ok: false, error: 'bad request', retryable: false });
    await expect(refused).rejects.toMatchObject({ code: ErrorCode.INTERNAL });
  });

  it('rejects what is pending with UNAVAILABLE on stop', async () => {
    const { client } = await started(5000);
    const pending = client.page({ mode: 'latest', roomId: 'general', limit: 2 });
    await flush();
    await client.stop();
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
  });

  it('replaces its reply consumer when kafkajs gives up on it, and answers through the new one', async () => {
    const { kafka, client } = await started();
    kafka.consumers[0]?.emitter.emit('crash', { payload: { error: new Error('ECONNREFUSED'), restart: false } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(kafka.consumers).toHaveLength(2);
    expect(kafka.consumers[0]?.disconnected).toBe(true);
    const page = client.page({ mode: 'latest', roomId: 'general', limit: 2 });
    await flush();
    await kafka.reply({ ok: true, messages: [], hasMore: false });
    await expect(page).resolves.toEqual({ messages: [], hasMore: false });
    await client.stop();
  });
});
