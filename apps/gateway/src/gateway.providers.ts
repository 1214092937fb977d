import { Provider } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { KAFKA } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { PipelineBatcher, REDIS, Redis } from '@chat/redis';
import { ChatGateway } from './chat/chat.gateway';
import { ChatService } from './chat/chat.service';
import { GATEWAY_CONFIG, GatewayConfig } from './config/gateway.config';
import { FanoutConsumer } from './fanout/fanout.consumer';
import { MessageFanout } from './fanout/message.fanout';
import { PresenceFanout } from './fanout/presence.fanout';
import { SignalFanout } from './fanout/signal.fanout';
import { HistoryClient } from './history/history.client';
import { HistoryService } from './history/history.service';
import { RecentHistoryReader } from './history/recent-history.reader';
import { RecentMessagesBuffer } from './history/recent-messages.buffer';
import { INSTANCE_ID } from './instance/instance-id';
import { clientLimits } from './limits/client-limits';
import { ConnectionRegistry } from './limits/connection-registry';
import { MessagePublisher } from './messaging/message-publisher';
import { LocalSendWindow } from './messaging/local-send-window';
import { SendDedupeStore } from './messaging/send-dedupe.store';
import { SendMessageService } from './messaging/send-message.service';
import { OnlineMembersReader } from './presence/online-members.reader';
import { PresenceReporter } from './presence/presence-reporter';
import { SignalPublisher } from './signals/signal-publisher';
import { SignalsService } from './signals/signals.service';
import { GatewayMetrics } from './metrics/gateway-metrics';

/** The gateway's plain services, built from config: Nest only wires them. */
export const gatewayProviders: Provider[] = [
  { provide: RecentMessagesBuffer, useFactory: () => new RecentMessagesBuffer() },
  {
    provide: MessagePublisher,
    inject: [KAFKA, GATEWAY_CONFIG],
    useFactory: (kafka: Kafka, config: GatewayConfig) =>
      new MessagePublisher(
        () => kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false }),
        config.SEND_QUEUE_LIMIT,
        config.PRODUCE_LINGER_MS,
      ),
  },
  {
    provide: SendMessageService,
    inject: [MessagePublisher, REDIS, GATEWAY_CONFIG, LOGGER],
    useFactory: (publisher: MessagePublisher, redis: Redis, config: GatewayConfig, logger: Logger) =>
      new SendMessageService(
        publisher,
        new SendDedupeStore(
          new PipelineBatcher(redis),
          config.SEND_DEDUPE_TTL_SEC,
          new LocalSendWindow(config.SEND_DEDUPE_LOCAL_MAX, config.SEND_DEDUPE_LOCAL_TTL_SEC * 1000),
          logger,
        ),
      ),
  },
  {
    provide: HistoryClient,
    inject: [KAFKA, GATEWAY_CONFIG, INSTANCE_ID, LOGGER],
    useFactory: (kafka: Kafka, config: GatewayConfig, instanceId: string, logger: Logger) =>
      new HistoryClient(kafka, `gateway-history.${instanceId}`, config.HISTORY_TIMEOUT_MS, logger),
  },
  {
    provide: HistoryService,
    inject: [REDIS, HistoryClient, RecentMessagesBuffer, LOGGER],
    useFactory: (redis: Redis, client: HistoryClient, buffer: RecentMessagesBuffer, logger: Logger) =>
      new HistoryService(new RecentHistoryReader(redis, logger), client, buffer),
  },
  {
    provide: PresenceReporter,
    inject: [KAFKA, INSTANCE_ID, LOGGER],
    useFactory: (kafka: Kafka, instanceId: string, logger: Logger) =>
      new PresenceReporter(kafka.producer({ allowAutoTopicCreation: false }), instanceId, logger),
  },
  {
    provide: SignalPublisher,
    inject: [KAFKA],
    useFactory: (kafka: Kafka) => new SignalPublisher(kafka.producer({ allowAutoTopicCreation: false })),
  },
  {
    provide: SignalsService,
    inject: [INSTANCE_ID, SignalPublisher, LOGGER],
    useFactory: (instanceId: string, publisher: SignalPublisher, logger: Logger) => new SignalsService(instanceId, publisher, logger),
  },
  {
    provide: ChatService,
    inject: [HistoryService, SendMessageService, PresenceReporter, REDIS, LOGGER, GATEWAY_CONFIG],
    useFactory: (history: HistoryService, sender: SendMessageService, presence: PresenceReporter, redis: Redis, logger: Logger, config: GatewayConfig) =>
      new ChatService(history, sender, presence, new OnlineMembersReader(redis), logger, config.MAX_ROOMS_PER_CONNECTION),
  },
  { provide: ConnectionRegistry, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => new ConnectionRegistry(clientLimits(config)) },
  ChatGateway,
  {
    provide: FanoutConsumer,
    inject: [KAFKA, GATEWAY_CONFIG, INSTANCE_ID, ChatGateway, RecentMessagesBuffer, GatewayMetrics, LOGGER],
    useFactory: (
      kafka: Kafka,
      config: GatewayConfig,
      instanceId: string,
      gateway: ChatGateway,
      buffer: RecentMessagesBuffer,
      metrics: GatewayMetrics,
      logger: Logger,
    ) =>
      new FanoutConsumer(
        kafka,
        `gateway-fanout.${instanceId}`,
        [
          new MessageFanout(gateway, buffer, logger, (seconds) => metrics.deliveryDelay.observe(seconds)),
          new SignalFanout(instanceId, gateway, logger),
          new PresenceFanout(gateway, logger),
        ],
        logger,
        config.FANOUT_FETCH_WAIT_MS,
        (topic, count) => metrics.fanoutRecords.inc({ topic }, count),
      ),
  },
];
