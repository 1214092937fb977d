import { Kafka, logLevel, Producer } from 'kafkajs';
import { encodeRecord, OpsLogRecord, OpsLogsTopic } from '@chat/contracts';
import { KafkaSecurity, KafkaSecurityEnv, kafkaSecurityOf } from '@chat/config';
import type { Logger, OpsLogSink } from '@chat/logging';
import { kafkaConnectionOptions } from './kafka.module';
import { kafkaLogCreator } from './kafka-logger';

export interface KafkaOpsLogSinkOptions {
  clientId: string;
  brokers: string[];
  security?: KafkaSecurity;
  /** Must write locally only (createLogger hands the sink such a logger): see OpsLogsOptions.sink. */
  localLogger: Logger;
}

/**
 * ops.logs.v1 through a Kafka client of its own: the service's producers keep their settings
 * and queues, and this one's failures are logged locally only. acks=1 and few retries: an
 * operator's log line is worth less than a chat message, and a send must give up quickly
 * (the shipper counts it dropped) rather than hold the next batches back.
 */
export class KafkaOpsLogSink implements OpsLogSink {
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;

  constructor({ clientId, brokers, security, localLogger }: KafkaOpsLogSinkOptions) {
    this.kafka = new Kafka({
      clientId: `${clientId}-ops-logs`,
      brokers,
      ...kafkaConnectionOptions(security),
      // Only its errors: every failed batch is already counted and reported by the shipper.
      logLevel: logLevel.ERROR,
      logCreator: kafkaLogCreator(localLogger.child({ opsLogSink: true })),
      connectionTimeout: 3000,
      requestTimeout: 5000,
      retry: { initialRetryTime: 200, retries: 2, maxRetryTime: 2000 },
    });
  }

  async send(records: readonly OpsLogRecord[]): Promise<void> {
    const producer = await this.connected();
    await producer.send({
      topic: OpsLogsTopic.name,
      acks: 1,
      timeout: 5000,
      messages: records.map((record) => encodeRecord(OpsLogsTopic, record)),
    });
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await (await producer?.catch(() => undefined))?.disconnect();
  }

  /** Connects on first use and again after a failed connect; kafkajs reconnects a connected producer itself. */
  private connected(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 2 } });
      this.producer = producer.connect().then(
        () => producer,
        (error: unknown) => {
          this.producer = undefined;
          throw error;
        },
      );
    }
    return this.producer;
  }
}

/** runService's opsLogSink for a service whose config has the Kafka variables. */
export function kafkaOpsLogSink<C extends KafkaSecurityEnv & { KAFKA_BROKERS: string[] }>(clientId: string) {
  return (config: C, localLogger: Logger): OpsLogSink =>
    new KafkaOpsLogSink({ clientId, brokers: config.KAFKA_BROKERS, security: kafkaSecurityOf(config), localLogger });
}
