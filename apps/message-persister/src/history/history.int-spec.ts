import { HistoryRepliesTopic, ReplyHeaders } from '@chat/contracts';
import { message } from '../testing/fixtures';
import { testKafka, uniqueRoom } from '../testing/infra';
import { RunningPersister, startPersister } from '../testing/persister-app';
import { HistoryRequester, replyBody as body } from '../testing/history-requester';
import type { ReadRecord } from '@chat/kafka';
import { MessageRepository } from '../storage/message.repository';
import { removeRooms } from '../testing/cleanup';

describe('history request/reply over Kafka', () => {
  const kafka = testKafka();
  let persister: RunningPersister;
  let requester: HistoryRequester;
  const roomId = uniqueRoom('history');
  const stored = [0, 1, 2, 3, 4].map((offset) => message(offset, { roomId }));

  beforeAll(async () => {
    persister = await startPersister();
    await persister.app.get(MessageRepository).insertBatch(stored);
    requester = await new HistoryRequester(kafka).start();
  });

  afterAll(async () => {
    await requester?.stop();
    if (persister) await removeRooms(persister.app, [roomId]);
    await persister?.close();
  });

  const request = (value: unknown, headers: Record<string, string> = {}): Promise<ReadRecord> =>
    requester.request(roomId, value, headers);

  it('answers latest, before and after with ascending messages and hasMore', async () => {
    const latest = await request({ mode: 'latest', roomId, limit: 3 });
    expect(body(latest)).toEqual({ ok: true, messages: stored.slice(2), hasMore: true });
    expect(latest.headers[ReplyHeaders.Error]).toBeUndefined();

    const before = await request({ mode: 'before', roomId, beforeOffset: 2, limit: 10 });
    expect(body(before)).toEqual({ ok: true, messages: stored.slice(0, 2), hasMore: false });

    const after = await request({ mode: 'after', roomId, afterOffset: 1, limit: 2 });
    expect(body(after)).toEqual({ ok: true, messages: stored.slice(2, 4), hasMore: true });
  });

  it('replies on the partition the requester asked for, else on any partition of the reply topic', async () => {
    for (const partition of [0, 4]) {
      const reply = await request({ mode: 'latest', roomId, limit: 1 }, { kafka_replyPartition: String(partition) });
      expect(reply.partition).toBe(partition);
      expect(body(reply)).toEqual({ ok: true, messages: stored.slice(4), hasMore: true });
    }
    const partitions = new Set<number>();
    for (let i = 0; i < 6; i++) partitions.add((await request({ mode: 'latest', roomId, limit: 1 })).partition);
    expect([...partitions].every((p) => p >= 0 && p < HistoryRepliesTopic.partitions)).toBe(true);
  });

  it('answers an invalid request with ok: false and the reason', async () => {
    expect(body(await request({ mode: 'latest', roomId, limit: 100_000 }))).toEqual({
      ok: false,
      error: expect.stringMatching(/invalid history request: .*limit/s),
      retryable: false,
    });
    expect(body(await request('not json at all'))).toEqual({ ok: false, error: expect.stringMatching(/not JSON/), retryable: false });
  });
});
