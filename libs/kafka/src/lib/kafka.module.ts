import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka, KafkaConfig, SASLOptions } from 'kafkajs';
import type { KafkaSecurity } from '@chat/config';
import type { Logger } from '@chat/logging';
import { kafkaLogCreator } from './kafka-logger';

export const KAFKA = Symbol('KAFKA');

export interface KafkaOptions {
  clientId: string;
  brokers: string[];
  logger: Logger;
  /** TLS and SASL (from @chat/config kafkaSecurityOf); none: plaintext, for local use. */
  security?: KafkaSecurity;
}

/** The kafkajs connection settings for TLS and SASL: every Kafka client of an app uses these. */
export function kafkaConnectionOptions(security: KafkaSecurity | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const options: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (security?.tls) options.ssl = true;
  if (security?.sasl) options.sasl = saslOptions(security.sasl);
  return options;
}

// kafkajs types SASL as one object type per mechanism: narrow to each.
function saslOptions({ mechanism, username, password }: NonNullable<KafkaSecurity['sasl']>): SASLOptions {
  if (mechanism === 'plain') return { mechanism, username, password };
  if (mechanism === 'scram-sha-256') return { mechanism, username, password };
  return { mechanism, username, password };
}

export function createKafka({ clientId, brokers, logger, security }: KafkaOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
    ...kafkaConnectionOptions(security),
    logCreator: kafkaLogCreator(logger),
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5000 },
  });
}

/**
 * Ready when the cluster answers a metadata request; keeps one admin connection for it. A
 * ReadinessCheck by shape (HealthModule.forRoot type-checks it), so this lib needs no health lib.
 */
@Injectable()
export class KafkaReadinessCheck implements OnApplicationShutdown {
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
