import { HistoryRepliesTopic } from '@chat/contracts';
import { replyRoute } from './reply-routing';

const ok = { kafka_correlationId: 'c-1', kafka_replyTopic: HistoryRepliesTopic.name };

describe('replyRoute', () => {
  it('routes a request the server can answer', () => {
    expect(replyRoute(ok)).toEqual({ ok: true, correlationId: 'c-1' });
    expect(replyRoute({ ...ok, kafka_replyPartition: '5' })).toEqual({ ok: true, correlationId: 'c-1', partition: 5 });
    expect(replyRoute({ ...ok, kafka_replyTopic: Buffer.from(HistoryRepliesTopic.name) })).toEqual({ ok: true, correlationId: 'c-1' });
  });

  it.each([
    ['no correlation id', { kafka_replyTopic: HistoryRepliesTopic.name }, /kafka_correlationId/],
    ['no reply topic', { kafka_correlationId: 'c-1' }, /kafka_replyTopic null/],
    ['a reply topic that is not the contract one', { ...ok, kafka_replyTopic: 'no-such-topic' }, /"no-such-topic" is not history.replies.v1/],
    ['a reply partition out of range', { ...ok, kafka_replyPartition: String(HistoryRepliesTopic.partitions) }, /kafka_replyPartition "6"/],
    ['a reply partition that is not a number', { ...ok, kafka_replyPartition: '1.5' }, /kafka_replyPartition/],
  ])('refuses a request with %s', (_label, headers, reason) => {
    const route = replyRoute(headers);
    expect(route.ok).toBe(false);
    expect(route.ok ? '' : route.problem).toMatch(reason);
  });
});
