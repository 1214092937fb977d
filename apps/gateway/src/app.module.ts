import { DynamicModule, Module } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ChatMessagesTopic } from '@chat/contracts';
import { HealthModule } from '@chat/health';
import { KAFKA, KafkaModule, KafkaReadinessCheck, partitionCount } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { MetricsModule } from '@chat/metrics';
import { REDIS, Redis, RedisModule, RedisReadinessCheck } from '@chat/redis';
import { ChatGateway } from './chat/chat.gateway';
import { ChatService } from './chat/chat.service';
import { DrainState } from './chat/drain-state';
import { GATEWAY_CONFIG, GatewayConfig } from './config/gateway.config';
import { MessageFanoutConsumer } from './fanout/message-fanout.consumer';
import { GatewayLifecycle } from './gateway.lifecycle';
import { HistoryClient } from './history/history.client';
import { HistoryService } from './history/history.service';
import { RecentHistoryReader } from './history/recent-history.reader';
import { RecentMessagesBuffer } from './history/recent-messages.buffer';
import { MessagePublisher } from './messaging/message-publisher';
import { SendDedupeStore } from './messaging/send-dedupe.store';
import { SendMessageService } from './messaging/send-message.service';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, logger: Logger, instanceId: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        KafkaModule.forRoot({ clientId: `gateway-${instanceId}`, brokers: config.KAFKA_BROKERS, logger }),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: `gateway-${instanceId}` }),
        HealthModule.forRoot([KafkaReadinessCheck, RedisReadinessCheck]),
        MetricsModule,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        DrainState,
        RecentMessagesBuffer,
        {
          provide: MessagePublisher,
          inject: [KAFKA],
          useFactory: async (kafka: Kafka) => {
            const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
            await producer.connect();
            return new MessagePublisher(producer, await partitionCount(kafka, ChatMessagesTopic.name), config.SEND_QUEUE_LIMIT);
          },
        },
        {
          provide: SendMessageService,
          inject: [MessagePublisher, REDIS],
          useFactory: (publisher: MessagePublisher, redis: Redis) =>
            new SendMessageService(publisher, new SendDedupeStore(redis, config.SEND_DEDUPE_TTL_SEC), logger),
        },
        {
          provide: HistoryClient,
          inject: [KAFKA],
          useFactory: (kafka: Kafka) => new HistoryClient(kafka, `gateway-history.${instanceId}`, config.HISTORY_TIMEOUT_MS, logger),
        },
        {
          provide: HistoryService,
          inject: [REDIS, HistoryClient, RecentMessagesBuffer],
          useFactory: (redis: Redis, client: HistoryClient, buffer: RecentMessagesBuffer) =>
            new HistoryService(new RecentHistoryReader(redis), client, buffer),
        },
        {
          provide: ChatService,
          inject: [HistoryService, SendMessageService],
          useFactory: (history: HistoryService, sender: SendMessageService) => new ChatService(history, sender),
        },
        ChatGateway,
        {
          provide: MessageFanoutConsumer,
          inject: [KAFKA, ChatGateway, RecentMessagesBuffer],
          useFactory: (kafka: Kafka, gateway: ChatGateway, buffer: RecentMessagesBuffer) =>
            new MessageFanoutConsumer(kafka, `gateway-fanout.${instanceId}`, gateway, buffer, logger),
        },
        GatewayLifecycle,
      ],
    };
  }
}
