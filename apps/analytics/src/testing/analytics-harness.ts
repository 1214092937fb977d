import type { Admin, Producer } from 'kafkajs';
import { ALL_TOPICS, analyticsKeys } from '@chat/contracts';
import { commitCurrentEnds, deleteGroups, ensureTopics } from '@chat/kafka';
import { ANALYTICS_TOPICS } from '../aggregate/planner';
import { groupIdOf } from '../ingest/analytics.consumers';
import type { AnalyticsConfig } from '../config/analytics.config';
import { testConfig, testKafka, testRedis } from './infra';

/**
 * What every analytics integration suite sets up and tears down: the run's own config, groups
 * and key space, clients on the real Kafka and Redis, and the topics. On a fresh broker nothing
 * else may have created the topics yet (suites run in parallel, in any order), so the harness
 * creates them instead of assuming another service did.
 */
export class AnalyticsHarness {
  readonly config: AnalyticsConfig;
  readonly keys: ReturnType<typeof analyticsKeys>;
  readonly kafka: ReturnType<typeof testKafka>;
  readonly redis: ReturnType<typeof testRedis>;
  readonly groups: string[];
  private opened?: { admin: Admin; producer: Producer };

  constructor(overrides: Partial<AnalyticsConfig> = {}) {
    this.config = testConfig(overrides);
    this.keys = analyticsKeys(this.config.ANALYTICS_KEY_SPACE);
    this.kafka = testKafka(this.config);
    this.redis = testRedis(this.config);
    this.groups = ANALYTICS_TOPICS.map((topic) => this.groupOf(topic));
  }

  groupOf(topic: string): string {
    return groupIdOf(this.config.ANALYTICS_GROUP_ID, topic);
  }

  get admin(): Admin {
    return this.clients().admin;
  }

  get producer(): Producer {
    return this.clients().producer;
  }

  /** Topics exist, clients connected, and each of the run's groups starts at the topics' current ends. */
  async open(): Promise<void> {
    await ensureTopics(this.kafka, ALL_TOPICS, 1);
    const admin = this.kafka.admin();
    await admin.connect();
    const producer = this.kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
    await producer.connect();
    this.opened = { admin, producer };
    for (const topic of ANALYTICS_TOPICS) await commitCurrentEnds(this.kafka, this.groupOf(topic), [topic]);
  }

  /** Leaves nothing of the run behind: its groups and its key space. */
  async close(): Promise<void> {
    await this.opened?.producer.disconnect();
    await deleteGroups(this.kafka, this.groups).catch(() => undefined);
    await this.opened?.admin.disconnect();
    const leftovers = await this.redis.keys(`${this.config.ANALYTICS_KEY_SPACE}:*`);
    for (let i = 0; i < leftovers.length; i += 500) await this.redis.del(...leftovers.slice(i, i + 500));
    await this.redis.quit();
  }

  private clients(): { admin: Admin; producer: Producer } {
    if (!this.opened) throw new Error('AnalyticsHarness used before open()');
    return this.opened;
  }
}
