import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { KafkaOptions, Transport } from '@nestjs/microservices';
import type { Consumer, Producer } from 'kafkajs';
import { kafkaLogCreator } from '@chat/kafka';
import type { Logger } from '@chat/logging';
import { HistoryRequestsTopic } from '@chat/contracts';

export const HISTORY_GROUP_ID = 'message-persister-history';

/** Options of the hybrid app's Kafka microservice that serves history requests. */
export function historyServerOptions(brokers: string[], logger: Logger): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      client: {
        clientId: 'message-persister-history',
        brokers,
        logCreator: kafkaLogCreator(logger),
        connectionTimeout: 3000,
        retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5000 },
      },
      // Nest appends "-server" to the group id by default; ops and docs expect the plain name.
      postfixId: '',
      // A short session: a member that vanished holds up the group's requests for at most 10 s.
      consumer: { groupId: HISTORY_GROUP_ID, allowAutoTopicCreation: false, sessionTimeout: 10_000, heartbeatInterval: 1000 },
      subscribe: { fromBeginning: false },
      // Partitions answered concurrently: one slow query must not hold up every other room.
      run: { partitionsConsumedConcurrently: HistoryRequestsTopic.partitions },
      producer: { allowAutoTopicCreation: false },
      // The value stays as it was sent, so a dead-lettered request can be replayed byte for byte.
      parser: { keepBinary: true },
    },
  };
}

/**
 * Starts the history server; a failed attempt has its half-connected consumer and producer
 * closed so the next attempt does not leak them (closing the microservice itself would
 * close the whole application).
 */
export async function startHistoryServer(app: INestApplication, server: INestMicroservice): Promise<void> {
  try {
    await app.startAllMicroservices();
    await waitUntilGroupStable(server);
  } catch (error) {
    const [, consumer, producer] = unwrapQuietly(server);
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    throw error;
  }
}

/**
 * startAllMicroservices resolves before the consumer has joined its group; until it has, no
 * request is answered, so readiness waits for the group to be stable.
 */
async function waitUntilGroupStable(server: INestMicroservice, timeoutMs = 60_000): Promise<void> {
  const [, consumer] = unwrapQuietly(server);
  if (!consumer) return;
  let joined = false;
  const stopListening = consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  const started = Date.now();
  const deadline = started + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (joined) return;
      // In case the join happened before the listener was attached: a group stable for a while.
      const group = Date.now() - started > 3000 ? await consumer.describeGroup().catch(() => undefined) : undefined;
      if (group?.state === 'Stable' && group.members.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    stopListening();
  }
  throw new Error(`history consumer group did not become stable within ${timeoutMs} ms`);
}

function unwrapQuietly(server: INestMicroservice): [unknown, Consumer | null, Producer | null] {
  try {
    return server.unwrap<[unknown, Consumer | null, Producer | null]>();
  } catch {
    return [null, null, null];
  }
}
