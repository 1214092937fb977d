import type { Producer } from 'kafkajs';

/**
 * Tells onError the topic of every failed send of this producer (send and sendBatch), and
 * rethrows: the caller's handling stays the same, a metric just learns of it.
 */
export function reportProduceErrors(producer: Producer, onError: (topic: string) => void): Producer {
  const send = producer.send.bind(producer);
  const sendBatch = producer.sendBatch.bind(producer);
  producer.send = async (record) => {
    try {
      return await send(record);
    } catch (error) {
      onError(record.topic);
      throw error;
    }
  };
  producer.sendBatch = async (batch) => {
    try {
      return await sendBatch(batch);
    } catch (error) {
      for (const topic of new Set((batch.topicMessages ?? []).map((t) => t.topic))) onError(topic);
      throw error;
    }
  };
  return producer;
}
