import type { Batch } from 'kafkajs';
import { Gauge, processMetric } from '@chat/metrics';

export const kafkaConsumerLag = processMetric(
  new Gauge({
    name: 'kafka_consumer_lag',
    help: 'Records of a partition after the last batch this process handled (high watermark - last offset - 1), by group',
    labelNames: ['group', 'topic', 'partition'],
    registers: [],
  }),
);

/** From the batch itself (its fetch's high watermark): no admin request, current as of every batch. */
export function recordConsumerLag(groupId: string, batch: Pick<Batch, 'topic' | 'partition' | 'highWatermark' | 'messages'>): void {
  const last = batch.messages[batch.messages.length - 1];
  if (!last) return;
  const lag = Number(batch.highWatermark) - Number(last.offset) - 1;
  if (Number.isFinite(lag)) kafkaConsumerLag.set({ group: groupId, topic: batch.topic, partition: String(batch.partition) }, Math.max(0, lag));
}

