import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Registry } from '@chat/metrics';
import { GatewayReadiness } from './gateway-readiness';

describe('GatewayReadiness', () => {
  let gateway: Server;
  let url: string;
  let probes = 0;

  beforeAll(async () => {
    gateway = createServer((req, res) => {
      probes++;
      res.writeHead(req.url === '/health/live' ? 200 : 404).end();
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => gateway.close(resolve)));

  it('is ready when one gateway answers, exports each one as up or down, and probes at most once per cacheMs', async () => {
    const registry = new Registry();
    // Port 1: nothing listens, the connection is refused.
    const readiness = new GatewayReadiness([url, 'http://127.0.0.1:1'], registry, 500, 60_000);
    probes = 0;
    expect(await readiness.check()).toEqual({ ready: true, gateways: { [url]: true, 'http://127.0.0.1:1': false } });
    await readiness.check();
    expect(probes).toBe(1);
    const text = await registry.metrics();
    expect(text).toContain(`web_gateway_up{gateway="${url}"} 1`);
    expect(text).toContain('web_gateway_up{gateway="http://127.0.0.1:1"} 0');
  });

  it('is not ready when no gateway answers', async () => {
    const readiness = new GatewayReadiness(['http://127.0.0.1:1'], new Registry(), 500, 0);
    expect((await readiness.check()).ready).toBe(false);
  });
});
