import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Message } from '@chat/contracts';
import { connectRedis, PipelineBatcher, Redis } from '@chat/redis';
import { LocalSendWindow } from './local-send-window';
import { SendDedupeStore } from './send-dedupe.store';

const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

/** One gateway's store: its own Redis connection and its own local window, as in production. */
function gateway(redis: Redis): SendDedupeStore {
  return new SendDedupeStore(new PipelineBatcher(redis), 60, new LocalSendWindow(100, 60_000), logger);
}

describe('SendDedupeStore (real Redis, two gateways)', () => {
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const redisA = connectRedis({ url, connectionName: 'gateway-dedupe-it-a' });
  const redisB = connectRedis({ url, connectionName: 'gateway-dedupe-it-b' });
  const a = gateway(redisA);
  const b = gateway(redisB);
  const keys: string[] = [];
  const keyFor = (clientMsgId: string) => {
    const key = SendDedupeStore.key('alice', `it-room-${randomUUID()}`, clientMsgId);
    keys.push(key);
    return key;
  };
  const draft = () => ({ messageId: randomUUID(), sentAt: new Date().toISOString() });

  // No offline queue (production's setting): commands wait for nothing, so the test waits for the connections.
  beforeAll(() => Promise.all([redisA, redisB].map((redis) => new Promise((resolve) => redis.once('ready', resolve)))));

  afterAll(async () => {
    if (keys.length > 0) await redisA.del(...keys);
    redisA.disconnect();
    redisB.disconnect();
  });

  it('gives a retry on another gateway the first send’s identity, then its acked message', async () => {
    const key = keyFor('c1');
    const first = draft();
    expect(await a.claim(key, first)).toEqual({ kind: 'first', draft: first });
    // The retry reached gateway B before A's produce was acked: same messageId, not a new one.
    expect(await b.claim(key, draft())).toEqual({ kind: 'retry', draft: first });

    const message: Message = { ...first, roomId: 'r', senderId: 'alice', body: 'hi', clientMsgId: 'c1', offset: 7 };
    await a.complete(key, message);
    expect(await b.claim(key, draft())).toEqual({ kind: 'done', message });
    expect(await redisA.ttl(key)).toBeGreaterThan(0);
  });

  it('claims in the gateway itself when the stored value is not a dedupe record, and repairs it on completion', async () => {
    const key = keyFor('c2');
    await redisA.set(key, '{"not":"a send"}', 'EX', 60);
    const mine = draft();
    expect(await b.claim(key, mine)).toEqual({ kind: 'first', draft: mine });
    // The local window answers B's own retry, whatever Redis holds.
    expect(await b.claim(key, draft())).toEqual({ kind: 'retry', draft: mine });

    const message: Message = { ...mine, roomId: 'r', senderId: 'alice', body: 'hi', clientMsgId: 'c2', offset: 8 };
    await b.complete(key, message);
    expect(await a.claim(key, draft())).toEqual({ kind: 'done', message });
  });
});
