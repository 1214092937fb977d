import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import type { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { GATEWAY_CONFIG } from '../config/gateway.config';
import { DirectIoAdapter } from './direct-io.adapter';

const WEB = 'http://127.0.0.1:8080';
const EVIL = 'https://evil.example';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The Socket.IO server exactly as the gateway's adapter builds it, with the decorator's old wide-open CORS. */
describe('Socket.IO handshake origin check (DirectIoAdapter)', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = { get: (token: unknown) => (token === GATEWAY_CONFIG ? { GATEWAY_ALLOWED_ORIGINS: [WEB] } : undefined) };
    const port = await freePort();
    server = new DirectIoAdapter(app as unknown as INestApplicationContext, jest.fn()).createIOServer(port, { cors: { origin: true } }) as Server;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(() => resolve(undefined))));

  const pollingHandshake = (origin?: string) =>
    fetch(`${base}/socket.io/?EIO=4&transport=polling`, { headers: origin ? { origin } : {} });

  it('refuses a polling handshake from another origin, without reflecting it', async () => {
    const res = await pollingHandshake(EVIL);
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('accepts the web client’s origin and names it in the CORS answer', async () => {
    const res = await pollingHandshake(WEB);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(WEB);
  });

  it('accepts a request without an Origin (not a browser)', async () => {
    expect((await pollingHandshake()).status).toBe(200);
  });

  it('refuses a websocket handshake from another origin, accepts the allowed one and none', async () => {
    const connect = (origin?: string) =>
      new Promise<string>((resolve) => {
        const socket = io(base, { transports: ['websocket'], reconnection: false, extraHeaders: origin ? { origin } : {} });
        socket.on('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.on('connect_error', () => {
          socket.close();
          resolve('refused');
        });
      });
    expect(await connect(EVIL)).toBe('refused');
    expect(await connect(WEB)).toBe('connected');
    expect(await connect()).toBe('connected');
  });
});
