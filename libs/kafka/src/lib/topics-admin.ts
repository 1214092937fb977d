import { Kafka } from 'kafkajs';
import type { TopicSpec } from '@chat/contracts';

/**
 * Idempotent admin step run at start-up: creates the topics that are missing with their
 * declared partition counts and configs, and leaves existing ones as they are.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly TopicSpec[],
  replicationFactor: number,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: t.name,
            numPartitions: t.partitions,
            replicationFactor,
            configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
          })),
        });
      } catch (error) {
        // Another service may create the same topics concurrently: that is the desired end state.
        if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
      }
    }
    return missing.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}

/** Partition count of a topic as the cluster has it (which may exceed the declared count). */
export async function partitionCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const described = metadata.topics.find((t) => t.name === topic);
    if (!described) throw new Error(`topic ${topic} is missing from its own metadata`);
    return described.partitions.length;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Removes per-instance consumer groups on shutdown so they do not pile up in the cluster. A
 * group its last member just left, or a coordinator still loading (a fresh or restarted broker),
 * answers NON_EMPTY_GROUP or a retriable error for a moment: those are retried, briefly.
 */
export async function deleteGroups(kafka: Kafka, groupIds: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let remaining = groupIds;
    for (let attempt = 1; remaining.length > 0; attempt++) {
      try {
        await admin.deleteGroups(remaining);
        return;
      } catch (error) {
        const failed = (error as { groups?: Array<{ groupId: string; error?: { type?: string; retriable?: boolean } }> }).groups;
        if (!failed || attempt >= 20) throw error;
        const again = failed.filter((g) => g.error?.type !== 'GROUP_ID_NOT_FOUND');
        if (again.some((g) => !(g.error?.retriable || g.error?.type === 'NON_EMPTY_GROUP'))) throw error;
        remaining = again.map((g) => g.groupId);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Commits the current end of every partition of `topics` for a group that has no members yet,
 * so that the group has a position on every partition from its first moment: a group that only
 * ever committed what it consumed would, after a rejoin, fall back to "latest" on every quiet
 * partition and skip whatever was written there meanwhile.
 */
export async function commitCurrentEnds(kafka: Kafka, groupId: string, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId, topic, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });
    }
  } finally {
    await admin.disconnect();
  }
}
