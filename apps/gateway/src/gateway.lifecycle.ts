import { BeforeApplicationShutdown, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ChatMessagesTopic, ALL_TOPICS } from '@chat/contracts';
import { StartupProgress, StartupSequence } from '@chat/bootstrap';
import { deleteGroups, ensureTopics, KAFKA, partitionCount } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { ChatGateway } from './chat/chat.gateway';
import { DrainState } from './chat/drain-state';
import { GATEWAY_CONFIG, GatewayConfig } from './config/gateway.config';
import { FanoutConsumer } from './fanout/fanout.consumer';
import { HistoryClient } from './history/history.client';
import { MessagePublisher } from './messaging/message-publisher';
import { PresenceReporter } from './presence/presence-reporter';
import { SignalPublisher } from './signals/signal-publisher';

/**
 * Start-up after HTTP listens (so /health answers, not ready, while Kafka is down; each step
 * retried until it succeeds), and graceful shutdown in the order that loses nothing: stop accepting, answer every
 * in-flight send (Kafka has it or the client hears UNAVAILABLE), then disconnect clients so
 * they reconnect elsewhere, tell presence this gateway is gone, then leave the consumer groups.
 */
@Injectable()
export class GatewayLifecycle implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly startup: StartupSequence;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly drain: DrainState,
    private readonly publisher: MessagePublisher,
    private readonly history: HistoryClient,
    private readonly fanout: FanoutConsumer,
    private readonly presence: PresenceReporter,
    private readonly signals: SignalPublisher,
    private readonly gateway: ChatGateway,
    progress: StartupProgress,
  ) {
    this.startup = new StartupSequence(progress, logger);
  }

  /** Called by main.ts once HTTP listens. Sends meanwhile are answered UNAVAILABLE (retryable). */
  start(): Promise<void> {
    return this.startup.run(async () => {
      this.startup.phase('kafka topics');
      await this.startup.retry('kafka topics', () => ensureTopics(this.kafka, ALL_TOPICS, this.config.KAFKA_REPLICATION_FACTOR));
      this.startup.phase('kafka producers and consumers');
      await Promise.all([
        this.startup.retry('message producer', async () => this.publisher.connect(await partitionCount(this.kafka, ChatMessagesTopic.name))),
        this.startup.retry('history client', () => this.history.start()),
        this.startup.retry('fan-out consumer', () => this.fanout.start()),
        this.startup.retry('presence reporter', () => this.presence.start()),
        this.startup.retry('signal publisher', () => this.signals.start()),
      ]);
      this.logger.info({ groups: [this.fanout.groupId, this.history.groupId] }, 'consuming fan-out and history replies');
      this.drain.openForClients();
    });
  }

  /** The first shutdown hook: stop retrying start-up steps before anything is torn down. */
  onModuleDestroy(): void {
    this.startup.abort();
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info({ signal }, 'draining');
    this.drain.startDraining();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, this.config.SHUTDOWN_GRACE_MS).unref());
    await Promise.race([this.publisher.close(), grace]);
    this.gateway.disconnectAll();
    // After the disconnects: their connection_closed events go out before gateway_stopped.
    await this.presence.stop(this.config.SHUTDOWN_GRACE_MS);
    await Promise.allSettled([this.history.stop(), this.fanout.stop(), this.signals.stop()]);
    await deleteGroups(this.kafka, [this.fanout.groupId, this.history.groupId]).catch((error: Error) =>
      this.logger.warn({ err: error }, 'could not delete this instance’s consumer groups'),
    );
    this.logger.info('drained');
  }
}
