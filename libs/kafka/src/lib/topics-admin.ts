import { Kafka } from 'kafkajs';
import type { TopicSpec } from '@chat/contracts';

/**
 * Idempotent admin step run at start-up: creates the topics that are missing with their
 * declared partition counts and configs, leaves existing ones as they are, and returns once
 * every partition of every topic is served (see `untilServed`).
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
    await untilServed(kafka, topics.map((t) => t.name));
    return missing.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}

const SERVED_WITHIN_MS = 30_000;
const COMMIT_WITHIN_MS = 30_000;

/** kafkajs wraps a protocol error it gave up on in a non-retriable one: the cause says what it was. */
function retriable(error: unknown): boolean {
  for (let e = error as { retriable?: boolean; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.retriable) return true;
  return false;
}

/**
 * Waits until each partition of `topics` answers a ListOffsets. A topic that was just created
 * (by this process or another one) is listed before its leaders serve it: for a moment offsets
 * answer NOT_LEADER_FOR_PARTITION or UNKNOWN_TOPIC_OR_PARTITION, which kafkajs' admin does not
 * retry, and a caller that commits a group's positions right away would fail on a fresh broker.
 * Each attempt uses a new admin so that it reads fresh metadata.
 */
async function untilServed(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + SERVED_WITHIN_MS;
  let waiting = [...topics];
  while (waiting.length > 0) {
    const admin = kafka.admin();
    await admin.connect();
    const pending: string[] = [];
    let lastError: unknown;
    try {
      for (const topic of waiting) {
        await admin.fetchTopicOffsets(topic).catch((error: unknown) => {
          if (!retriable(error)) throw error;
          pending.push(topic);
          lastError = error;
        });
      }
    } finally {
      await admin.disconnect();
    }
    waiting = pending;
    if (waiting.length === 0) return;
    if (Date.now() > deadline) throw new Error(`topics not served after ${SERVED_WITHIN_MS} ms: ${waiting.join(', ')} (${String(lastError)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
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
 *
 * kafkajs' `admin.setOffsets` does this for one topic by joining the group with a paused
 * consumer and committing its seeks; it waits out a default 5 s fetch each time, 5 s per topic
 * (15 s of every gateway start). This is the same join, once for all topics, with a short wait.
 */
export async function commitCurrentEnds(kafka: Kafka, groupId: string, topics: readonly string[]): Promise<void> {
  const ends = new Map<string, { partition: number; offset: string }[]>();
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) ends.set(topic, (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high })));
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    const { state } = await consumer.describeGroup();
    if (state !== 'Empty' && state !== 'Dead') throw new Error(`group ${groupId} has running members (${state}): its positions are theirs to commit`);
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      // A join that never completes fails here, so the caller's startup retry takes over.
      timer = setTimeout(() => reject(new Error(`group ${groupId} did not join within ${COMMIT_WITHIN_MS} ms`)), COMMIT_WITHIN_MS);
      // The first fetch comes after the join has applied (and, with autoCommit, committed) the seeks.
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
      consumer.pause(topics.map((topic) => ({ topic })));
      for (const [topic, partitions] of ends) for (const { partition, offset } of partitions) consumer.seek({ topic, partition, offset });
    }).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
}
