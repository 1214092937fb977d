import { Provider } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { KAFKA, reportProduceErrors } from '@chat/kafka';
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
import { countingEmitter } from './metrics/counting-emitter';

const countErrorsIn = (metrics: GatewayMetrics) => (topic: string) => metrics.produceErrors.inc({ topic });

/** The gateway's plain services, built from config: Nest only wires them. */
export const gatewayProviders: Provider[] = [
  { provide: RecentMessagesBuffer, useFactory: () => new RecentMessagesBuffer() },
  {
    provide: MessagePublisher,
    inject: [KAFKA, GATEWAY_CONFIG, GatewayMetrics],
    useFactory: (kafka: Kafka, config: GatewayConfig, metrics: GatewayMetrics) =>
      new MessagePublisher(
        () => reportProduceErrors(kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false }), countErrorsIn(metrics)),
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
    inject: [KAFKA, INSTANCE_ID, LOGGER, GatewayMetrics],
    useFactory: (kafka: Kafka, instanceId: string, logger: Logger, metrics: GatewayMetrics) =>
      new PresenceReporter(reportProduceErrors(kafka.producer({ allowAutoTopicCreation: false }), countErrorsIn(metrics)), instanceId, logger),
  },
  {
    provide: SignalPublisher,
    inject: [KAFKA, GatewayMetrics],
    useFactory: (kafka: Kafka, metrics: GatewayMetrics) =>
      new SignalPublisher(reportProduceErrors(kafka.producer({ allowAutoTopicCreation: false }), countErrorsIn(metrics))),
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
    inject: [KAFKA, INSTANCE_ID, ChatGateway, RecentMessagesBuffer, GatewayMetrics, LOGGER],
    useFactory: (
      kafka: Kafka,
      instanceId: string,
      gateway: ChatGateway,
      buffer: RecentMessagesBuffer,
      metrics: GatewayMetrics,
      logger: Logger,
    ) => {
      const emitter = countingEmitter(gateway, metrics);
      return new FanoutConsumer(
        kafka,
        `gateway-fanout.${instanceId}`,
        [
          new MessageFanout(emitter, buffer, logger, (seconds) => metrics.deliveryDelay.observe(seconds)),
          new SignalFanout(instanceId, emitter, logger),
          new PresenceFanout(emitter, logger),
        ],
        logger,
        (roomId) => gateway.hasLocalRoom(roomId),
        (topic, count) => metrics.fanoutRecords.inc({ topic }, count),
      );
    },
  },
];
