import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ALL_TOPICS } from '@chat/contracts';
import { ConfigError } from '@chat/config';
import { createKafka, ensureTopics } from '@chat/kafka';
import { createLogger, PinoNestLogger } from '@chat/logging';
import { AppModule } from './app.module';
import { DirectIoAdapter } from './chat/direct-io.adapter';
import { loadGatewayConfig } from './config/gateway.config';
import { makeInstanceId } from './instance/instance-id';

async function bootstrap(): Promise<void> {
  const config = loadGatewayConfig();
  const instanceId = makeInstanceId(config.GATEWAY_ID);
  const logger = createLogger('gateway').child({ instanceId });

  await ensureTopics(createKafka({ clientId: `gateway-${instanceId}-admin`, brokers: config.KAFKA_BROKERS, logger }), ALL_TOPICS, config.KAFKA_REPLICATION_FACTOR);

  const app = await NestFactory.create(AppModule.forRoot(config, logger, instanceId), { logger: new PinoNestLogger(logger) });
  app.useWebSocketAdapter(new DirectIoAdapter(app, (err, event) => logger.error({ err, event }, 'client event handler failed')));
  // Exit 0 once drained (rather than re-raising the signal): a clean stop is not a crash.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.GATEWAY_PORT, config.LISTEN_HOST);
  logger.info({ port: config.GATEWAY_PORT }, `gateway listening on http://127.0.0.1:${config.GATEWAY_PORT}/chat`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`gateway: ${error.message}\n`);
  } else {
    process.stderr.write(`gateway failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
