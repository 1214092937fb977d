import type { ChainableCommander } from 'ioredis';
import pino from 'pino';
import type { PipelineBatcher } from '@chat/redis';
import type { Message } from '@chat/contracts';
import { LocalSendWindow } from './local-send-window';
import { SendDedupeStore } from './send-dedupe.store';

/** A fake Redis behind the pipeline (unit test): SET with NX GET semantics over a Map, or down. */
class FakePipeline {
  readonly data = new Map<string, string>();
  down = false;
  run = async <T>(add: (p: ChainableCommander) => void): Promise<T> => {
    if (this.down) throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
    let reply: unknown;
    const p = {
      set: (key: string, value: string, ...args: unknown[]) => {
        const previous = this.data.get(key) ?? null;
        if (!args.includes('NX') || previous === null) this.data.set(key, value);
        reply = args.includes('GET') ? previous : 'OK';
        return p;
      },
    };
    add(p as unknown as ChainableCommander);
    return reply as T;
  };
}

const draft = (id: string) => ({ messageId: id, sentAt: '2026-01-01T00:00:00.000Z' });
const sent = (id: string): Message => ({ ...draft(id), roomId: 'general', senderId: 'alice', body: 'hi', clientMsgId: 'c1', offset: 3 });
const silent = pino({ level: 'silent' });

function store(pipeline: FakePipeline) {
  return new SendDedupeStore(pipeline as unknown as PipelineBatcher, 3600, new LocalSendWindow(100, 60_000), silent);
}

describe('SendDedupeStore', () => {
  it('keys are distinct for tuples that join to the same string', () => {
    expect(SendDedupeStore.key('alice', 'dm', 'alice:bob:c1')).not.toEqual(SendDedupeStore.key('alice', 'dm:alice:bob', 'c1'));
    expect(SendDedupeStore.key('a:b', 'c', 'd')).not.toEqual(SendDedupeStore.key('a', 'b:c', 'd'));
    expect(SendDedupeStore.key('alice', 'general', 'c1')).toEqual(SendDedupeStore.key('alice', 'general', 'c1'));
  });

  it('a retry gets the first draft, a completed send its message', async () => {
    const dedupe = store(new FakePipeline());
    const key = SendDedupeStore.key('alice', 'general', 'c1');
    expect(await dedupe.claim(key, draft('m1'))).toEqual({ kind: 'first', draft: draft('m1') });
    expect(await dedupe.claim(key, draft('m2'))).toEqual({ kind: 'retry', draft: draft('m1') });
    const message = sent('m1');
    await dedupe.complete(key, message);
    expect(await dedupe.claim(key, draft('m3'))).toEqual({ kind: 'done', message });
  });

  it('keeps claiming while Redis is down, and a retry on this gateway still gets the first message', async () => {
    const pipeline = new FakePipeline();
    pipeline.down = true;
    const dedupe = store(pipeline);
    const key = SendDedupeStore.key('alice', 'general', 'c1');
    expect(await dedupe.claim(key, draft('m1'))).toEqual({ kind: 'first', draft: draft('m1') });
    const message = sent('m1');
    await expect(dedupe.complete(key, message)).resolves.toBeUndefined();
    expect(await dedupe.claim(key, draft('m2'))).toEqual({ kind: 'done', message });
    // Redis is back but never heard of it: this gateway's memory still answers.
    pipeline.down = false;
    expect(await dedupe.claim(key, draft('m3'))).toEqual({ kind: 'done', message });
  });

  it('claims in this gateway when the stored value is not one, then overwrites it on completion', async () => {
    const pipeline = new FakePipeline();
    const dedupe = store(pipeline);
    const key = SendDedupeStore.key('alice', 'general', 'c1');
    pipeline.data.set(key, '{"draft":{"messageId":""}}');
    expect(await dedupe.claim(key, draft('m1'))).toEqual({ kind: 'first', draft: draft('m1') });
    expect(await dedupe.claim(key, draft('m2'))).toEqual({ kind: 'retry', draft: draft('m1') });
    await dedupe.complete(key, sent('m1'));
    expect(await store(pipeline).claim(key, draft('m3'))).toEqual({ kind: 'done', message: sent('m1') });
  });
});
