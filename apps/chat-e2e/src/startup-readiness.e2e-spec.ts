import { createServer, connect, Server } from 'node:net';
import { AppProcess } from './support/app-process';
import { refusedWith, sleep, tokenFor } from './support/client';

const KAFKA = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',')[0] ?? '127.0.0.1:9092';
const [kafkaHost, kafkaPort] = KAFKA.split(':') as [string, string];
const PROXY_PORT = Number(process.env['E2E_KAFKA_PROXY_PORT'] ?? 3199);

/**
 * A bootstrap address for Kafka that refuses connections until `open()`, then forwards to the
 * real broker: each service starts while Kafka is "down" and must come up by itself once it is
 * there (the broker advertises its own address, so only the bootstrap goes through here).
 */
class KafkaDoor {
  private server?: Server;
  open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(kafkaPort), kafkaHost);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    return new Promise((resolve) => this.server?.listen(PROXY_PORT, '127.0.0.1', resolve));
  }
  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('every service starts while Kafka is unreachable, serves health not-ready, and becomes ready by itself', () => {
  const kafka = { KAFKA_BROKERS: `127.0.0.1:${PROXY_PORT}` };
  const apps = [
    new AppProcess('gateway-no-kafka', 'gateway', 3160, { ...kafka, GATEWAY_PORT: '3160', GATEWAY_ID: 'e2e-nokafka' }),
    new AppProcess('persister-no-kafka', 'message-persister', 3161, { ...kafka, PERSISTER_PORT: '3161' }),
    new AppProcess('presence-no-kafka', 'presence', 3162, { ...kafka, PRESENCE_PORT: '3162' }),
  ];
  const door = new KafkaDoor();

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    await door.close();
  });

  it('live at once, ready only after Kafka appears, clean exit on SIGTERM', async () => {
    apps.forEach((app) => app.launch());
    await sleep(8000);
    for (const app of apps) {
      expect({ app: app.name, running: app.running, live: await app.status('/health/live'), ready: await app.status('/health/ready') }).toEqual({
        app: app.name,
        running: true,
        live: 200,
        ready: 503,
      });
    }
    // Until its fan-out runs, a socket that joined would miss what is written meanwhile: refused.
    await expect(refusedWith(3160, { token: tokenFor('alice', 'dev-secret-change-me') })).resolves.toBe('UNAVAILABLE');
    await door.open();
    await Promise.all(apps.map((app) => app.waitReady(90_000)));
    expect(await Promise.all(apps.map((app) => app.stop()))).toEqual([0, 0, 0]);
  }, 150_000);
});
