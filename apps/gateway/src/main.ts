import 'reflect-metadata';
import { createServiceApp, runService } from '@chat/bootstrap';
import { AppModule } from './app.module';
import { DirectIoAdapter } from './chat/direct-io.adapter';
import { loadGatewayConfig } from './config/gateway.config';
import { GatewayLifecycle } from './gateway.lifecycle';
import { makeInstanceId } from './instance/instance-id';

// HTTP and Socket.IO listen first; Kafka comes up in the background (not ready meanwhile, sends
// answered UNAVAILABLE). On SIGTERM the gateway drains (GatewayLifecycle) and exits 0.
runService({
  name: 'gateway',
  loadConfig: loadGatewayConfig,
  logLevel: (config) => config.LOG_LEVEL,
  port: (config) => config.GATEWAY_PORT,
  host: (config) => config.LISTEN_HOST,
  create: async (config, serviceLogger) => {
    const instanceId = makeInstanceId(config.GATEWAY_ID);
    const logger = serviceLogger.child({ instanceId });
    const app = await createServiceApp(AppModule.forRoot(config, logger, instanceId), logger);
    app.useWebSocketAdapter(new DirectIoAdapter(app, (err, event) => logger.error({ err, event }, 'client event handler failed')));
    return { app, startDependents: () => app.get(GatewayLifecycle).start() };
  },
});
