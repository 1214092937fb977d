import { Kafka } from 'kafkajs';
import { createLogger } from '@chat/logging';
import { createKafka } from './kafka.module';
import { commitCurrentEnds, deleteGroups, ensureTopics, partitionCount } from './topics-admin';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

describe('topics admin (real Kafka)', () => {
  let kafka: Kafka;
  const name = `it.admin.${Date.now()}`;

  beforeAll(() => {
    kafka = createKafka({ clientId: 'kafka-lib-int', brokers, logger: createLogger('kafka-int', 'error') });
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a missing topic with its partitions and config, and is a no-op the second time', async () => {
    const spec = { name, partitions: 3, config: { 'retention.ms': '60000' } };
    expect(await ensureTopics(kafka, [spec], 1)).toEqual([name]);
    expect(await ensureTopics(kafka, [spec], 1)).toEqual([]);
    expect(await partitionCount(kafka, name)).toBe(3);

    const admin = kafka.admin();
    await admin.connect();
    const configs = await admin.describeConfigs({ resources: [{ type: 2, name, configNames: ['retention.ms'] }], includeSynonyms: false });
    await admin.disconnect();
    expect(configs.resources.flatMap((r) => r.configEntries).map((e) => e.configValue)).toEqual(['60000']);
  });

  it('returns only once the topics it created are served, and commitCurrentEnds puts a new group at their ends', async () => {
    // As many as a service creates on a fresh broker: a single small topic is often served in time anyway.
    const fresh = Array.from({ length: 12 }, (_, i) => `${name}.fresh${i}`);
    const groupId = `it-fresh-${Date.now()}`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await ensureTopics(kafka, fresh.map((topic) => ({ name: topic, partitions: 6, config: {} })), 1)).toEqual(fresh);
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: fresh[0] ?? name, messages: [{ key: 'k', value: 'v' }, { key: 'j', value: 'w' }] });
      await producer.disconnect();
      await commitCurrentEnds(kafka, groupId, fresh);

      const committed = await admin.fetchOffsets({ groupId, topics: fresh });
      for (const topic of fresh) {
        const ends = (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high }));
        const positions = committed.find((t) => t.topic === topic)?.partitions.map(({ partition, offset }) => ({ partition, offset }));
        expect(positions?.sort((x, y) => x.partition - y.partition)).toEqual(ends.sort((x, y) => x.partition - y.partition));
      }
      expect(committed.flatMap((t) => t.partitions).some((p) => p.offset !== '0')).toBe(true);
    } finally {
      await deleteGroups(kafka, [groupId]).catch(() => undefined);
      await admin.deleteTopics({ topics: fresh }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('deletes consumer groups it is given', async () => {
    const groupId = `it-group-${Date.now()}`;
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic: name });
    await consumer.run({ eachMessage: async () => undefined });
    await consumer.disconnect();
    await deleteGroups(kafka, [groupId]);

    const admin = kafka.admin();
    await admin.connect();
    const { groups } = await admin.listGroups();
    await admin.disconnect();
    expect(groups.map((g) => g.groupId)).not.toContain(groupId);
  });
});
