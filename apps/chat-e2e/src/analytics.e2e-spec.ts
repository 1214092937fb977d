import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expectEventually, uniqueRoom } from './support/client';
import { E2E } from './support/stack';
import { useChatStack } from './support/use-stack';

/** The part of analytics' GET /analytics/rooms/:roomId this suite reads (apps are not imported). */
interface RoomNumbers {
  total: { messages: number; bytes: number };
  messages: { last5m: number; last60m: number };
  distinctSenders: { last60m: number };
}

const MAIN = join(__dirname, '../../../dist/apps/analytics/main.js');

/** `node main.js <args>` of the built analytics, with the e2e stack's groups and key space. */
function analyticsCommand(env: Record<string, string>, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('analytics in the stack (real gateways, Kafka, Redis)', () => {
  const { stack, connect } = useChatStack({ analytics: true });
  const roomNumbers = async (roomId: string): Promise<RoomNumbers> => {
    const { total, messages, distinctSenders } = (await (await fetch(`${stack.withAnalytics().app.url}/analytics/rooms/${roomId}`)).json()) as RoomNumbers;
    return { total, messages: { last5m: messages.last5m, last60m: messages.last60m }, distinctSenders: { last60m: distinctSenders.last60m } };
  };

  it('counts what clients send through both gateways; a rebuild while it runs ends with the same numbers', async () => {
    const room = uniqueRoom('e2e-analytics');
    const alice = await connect(E2E.gatewayA, 'an-alice');
    const bob = await connect(E2E.gatewayB, 'an-bob');
    await alice.ok('room:join', { roomId: room });
    await bob.ok('room:join', { roomId: room });
    const sends = [...Array.from({ length: 30 }, (_, i) => [alice, i] as const), ...Array.from({ length: 12 }, (_, i) => [bob, 100 + i] as const)];
    await Promise.all(sends.map(([client, i]) => client.ok('message:send', { roomId: room, clientMsgId: `a-${i}`, body: `count me ${i}` })));

    await expectEventually(async () => expect((await roomNumbers(room)).total.messages).toBe(42), 30_000);
    const live = await roomNumbers(room);
    expect(live).toMatchObject({ messages: { last5m: 42, last60m: 42 }, distinctSenders: { last60m: 2 } });

    const rebuild = await analyticsCommand(stack.withAnalytics().env, ['rebuild', '--since', '10m']);
    // stderr, not empty on success: kafkajs 2.2.4 trips Node 24's TimeoutNegativeWarning.
    expect({ code: rebuild.code, stderr: rebuild.stderr }).toMatchObject({ code: 0 });
    const report = JSON.parse(rebuild.stdout) as { topics: Array<{ topic: string; counted: number }> };
    expect(report.topics.find((t) => t.topic === 'chat.messages.v1')?.counted).toBeGreaterThanOrEqual(42);
    expect(await roomNumbers(room)).toEqual(live);

    // The live service carries on after the rebuild, counting each new message once.
    await alice.ok('message:send', { roomId: room, clientMsgId: 'after', body: 'after the rebuild' });
    await expectEventually(async () => expect((await roomNumbers(room)).total.messages).toBe(43), 30_000);
  });

  it('rebuild refuses a bad --since, naming the expected form, and changes nothing', async () => {
    const refused = await analyticsCommand(stack.withAnalytics().env, ['rebuild', '--since', '2 hours']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--since "2 hours": expected a whole number and a unit m, h or d, e\.g\. 30m, 2h, 1d/);
    expect(stack.withAnalytics().app.running).toBe(true);
  });
});
