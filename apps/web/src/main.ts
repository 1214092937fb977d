import { join } from 'node:path';
import { ConfigError } from '@chat/config';
import { createLogger } from '@chat/logging';
import { collectRuntimeMetrics, Registry } from '@chat/metrics';
import { loadWebConfig } from './config/web.config';
import { GatewayReadiness } from './http/gateway-readiness';
import { StaticFiles } from './http/static-files';
import { createWebServer } from './http/web-server';
import { shutdownGracefully } from './shutdown';

function main(): void {
  const config = loadWebConfig();
  const logger = createLogger('web');
  const files = StaticFiles.load(config.WEB_STATIC_DIR ?? join(__dirname, 'public'));
  const registry = new Registry();
  collectRuntimeMetrics(registry);
  const readiness = new GatewayReadiness(config.WEB_READINESS_GATEWAY_URLS ?? config.WEB_GATEWAY_URLS, registry);
  const server = createWebServer({ config, files, logger, readiness, metrics: { registry, token: config.METRICS_TOKEN } });

  if (config.WEB_DEV_TOKENS) {
    logger.warn('POST /dev/token mints a token for any user id: for local development only (set WEB_DEV_TOKENS=false elsewhere)');
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    shutdownGracefully(server, config.SHUTDOWN_GRACE_MS).then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  server.once('error', (error) => {
    process.stderr.write(`web failed to start: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(config.WEB_PORT, config.LISTEN_HOST, () => {
    logger.info(
      { port: config.WEB_PORT, host: config.LISTEN_HOST, gateways: config.WEB_GATEWAY_URLS, files: files.list() },
      `web client on http://127.0.0.1:${config.WEB_PORT}/`,
    );
  });
}

try {
  main();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`web: ${error.message}\n`);
  } else {
    process.stderr.write(`web failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
}
