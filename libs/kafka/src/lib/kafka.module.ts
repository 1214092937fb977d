import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import type { ReadinessCheck } from '@chat/health';
import type { Logger } from '@chat/logging';
import { kafkaLogCreator } from './kafka-logger';

export const KAFKA = Symbol('KAFKA');

export interface KafkaOptions {
  clientId: string;
  brokers: string[];
  logger: Logger;
}

export function createKafka({ clientId, brokers, logger }: KafkaOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logCreator: kafkaLogCreator(logger),
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5000 },
  });
}

/** Ready when the cluster answers a metadata request; keeps one admin connection for it. */
@Injectable()
export class KafkaReadinessCheck implements ReadinessCheck, OnApplicationShutdown {
  readonly name = 'kafka';
  private admin?: Admin;

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  async check(): Promise<void> {
    if (!this.admin) {
      this.admin = this.kafka.admin({ retry: { retries: 0 } });
      await this.admin.connect().catch((error) => {
        this.admin = undefined;
        throw error;
      });
    }
    const cluster = await this.admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no Kafka broker is reachable');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect();
  }
}

@Global()
@Module({})
export class KafkaModule {
  static forRoot(options: KafkaOptions): DynamicModule {
    return {
      module: KafkaModule,
      providers: [{ provide: KAFKA, useValue: createKafka(options) }, KafkaReadinessCheck],
      exports: [KAFKA, KafkaReadinessCheck],
    };
  }
}
