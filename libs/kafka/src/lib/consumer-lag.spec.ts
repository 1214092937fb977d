import type { KafkaMessage } from 'kafkajs';
import { kafkaConsumerLag, recordConsumerLag } from './consumer-lag';

const messages = (...offsets: number[]) => offsets.map((offset) => ({ offset: String(offset) }) as KafkaMessage);
const lagOf = async (group: string, partition: string) =>
  (await kafkaConsumerLag.get()).values.find((v) => v.labels.group === group && v.labels.partition === partition)?.value;

describe('recordConsumerLag', () => {
  beforeEach(() => kafkaConsumerLag.reset());

  it('is what the partition holds after the batch: high watermark - last offset - 1, per group and partition', async () => {
    recordConsumerLag('ingest', { topic: 'chat.messages.v1', partition: 2, highWatermark: '120', messages: messages(10, 11, 12) });
    recordConsumerLag('fanout-a', { topic: 'chat.messages.v1', partition: 2, highWatermark: '120', messages: messages(119) });
    expect(await lagOf('ingest', '2')).toBe(107);
    expect(await lagOf('fanout-a', '2')).toBe(0);
  });

  it('leaves the series alone for an empty batch', async () => {
    recordConsumerLag('ingest', { topic: 'chat.messages.v1', partition: 0, highWatermark: '5', messages: [] });
    expect(await lagOf('ingest', '0')).toBeUndefined();
  });
});
