import { analyticsKeys } from '@chat/contracts';
import { FakeAggregateStore } from '../testing/fake-aggregate-store';
import { messageRecord, sourceRecords } from '../testing/records';
import { BatchAggregator } from './batch-aggregator';

const keys = analyticsKeys('t');
const T = Date.parse('2026-11-24T10:00:00.000Z');
const from = { topic: 'chat.messages.v1', partition: 3, groupId: 'analytics.chat.messages.v1' };

function aggregatorOn(store: FakeAggregateStore) {
  return new BatchAggregator(store, { keys, windows: { secondsKeptMs: 300_000, minutesKeptMs: 86_400_000 }, groupId: 'analytics', clock: () => T });
}

describe('BatchAggregator', () => {
  it('counts a redelivered batch once', async () => {
    const store = new FakeAggregateStore();
    const records = sourceRecords('message', [messageRecord(), messageRecord()], 40);
    const aggregator = aggregatorOn(store);
    await aggregator.process(from, records);
    await expect(aggregator.process(from, records)).resolves.toMatchObject({ counted: 0, skipped: 2 });
    expect(store.model.field(keys.totals(), 'messages')).toBe(2);
    expect(store.applies).toBe(1);
  });

  it('re-plans against the new offset when another member applied part of the batch meanwhile', async () => {
    const store = new FakeAggregateStore();
    const records = sourceRecords('message', [messageRecord(), messageRecord(), messageRecord()], 0);
    const aggregator = aggregatorOn(store);
    let raced = false;
    store.beforeApply = () => {
      if (raced) return;
      raced = true;
      // The previous owner of the partition finished the first two records just now.
      store.beforeApply = undefined;
      void store.apply({ groupId: 'analytics', topic: from.topic, partition: 3 }, null, '2', [['HINCRBY', keys.totals(), 'messages', '2']]);
    };
    await expect(aggregator.process(from, records)).resolves.toMatchObject({ counted: 1, skipped: 2 });
    expect(store.model.field(keys.totals(), 'messages')).toBe(3);
  });

  it('refuses a topic analytics does not read', async () => {
    await expect(aggregatorOn(new FakeAggregateStore()).process({ ...from, topic: 'history.requests.v1' }, [])).rejects.toThrow(/does not read/);
  });
});
