import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatStack, E2E } from './support/stack';

const ROOT = join(__dirname, '../../..');
const LOADGEN = join(ROOT, 'dist/apps/loadgen/main.js');

/** The fields of the load generator's JSON result this smoke test reads. */
interface ChatRunResult {
  problems: string[];
  counts: { sent: number; acked: number; failed: number; expected: number; delivered: number; lost: number; duplicates: number; orderViolations: number; mismatches: number; unexpected: number };
  e2eMs: { count: number };
  workers?: number;
  persistence?: { acked: number; persisted: number; missing: number; offsetMismatches: number; error?: string };
}

function runLoadgen(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOADGEN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/**
 * The benchmark harness's smoke test: the load generator against both e2e gateways at a low
 * rate (gateway B keeps the default 20/s limit) must see every message delivered exactly once,
 * in offset order, to every member, and every acked message stored. Not a speed test.
 */
describe('load generator smoke (real gateways, Kafka, Redis, PostgreSQL)', () => {
  const stack = new ChatStack();
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(LOADGEN)) throw new Error(`${LOADGEN} is missing: run \`npx nx build loadgen\` first`);
    dir = mkdtempSync(join(tmpdir(), 'loadgen-e2e-'));
    await stack.start();
  });
  afterAll(async () => {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const chatArgs = (out: string, extra: string[]) => [
      'chat',
      '--url', `http://127.0.0.1:${E2E.gatewayA},http://127.0.0.1:${E2E.gatewayB}`,
      '--secret', E2E.jwtSecret,
      '--users', '20',
      '--rooms', '4',
      '--members', '5',
      '--rate', '2',
      '--duration', '4',
      '--drain-ms', '10000',
      '--timeout', '90',
      '--verify-db', E2E.databaseUrl,
      '--verify-timeout-ms', '30000',
      '--label', 'e2e-smoke',
      '--out', out,
      ...extra,
  ];

  it.each([
    ['in one process', []],
    // Members of every room on both workers: the coordinator's merge decides loss, order and duplicates.
    ['split over 2 worker processes', ['--workers', '2']],
  ])('delivers every message of 20 users in 4 rooms over both gateways once, in order, and persists every acked one (%s)', async (_name, extra) => {
    const out = join(dir, `chat-${extra.length}.json`);
    const { code, output } = await runLoadgen(chatArgs(out, extra));
    if (code !== 0 || !existsSync(out)) throw new Error(`loadgen exited with ${code}:\n${output}`);
    const result = JSON.parse(readFileSync(out, 'utf8')) as ChatRunResult;

    expect(result.problems).toEqual([]);
    expect(result.workers ?? 1).toBe(extra.length > 0 ? 2 : 1);
    // 20 users × 2/s × 4 s, give or take the last tick.
    expect(result.counts.sent).toBeGreaterThanOrEqual(150);
    expect(result.counts).toMatchObject({ failed: 0, lost: 0, duplicates: 0, orderViolations: 0, mismatches: 0, unexpected: 0 });
    expect(result.counts.acked).toBe(result.counts.sent);
    expect(result.counts.expected).toBe(result.counts.acked * 5);
    expect(result.counts.delivered).toBe(result.counts.expected);
    expect(result.e2eMs.count).toBe(result.counts.delivered);
    expect(result.persistence).toMatchObject({ acked: result.counts.acked, persisted: result.counts.acked, missing: 0, offsetMismatches: 0 });
    expect(result.persistence?.error).toBeUndefined();
  });

  it('refuses a non-loopback target before connecting anywhere', async () => {
    const { code, output } = await runLoadgen(['chat', '--url', 'http://192.0.2.1:3100', '--secret', E2E.jwtSecret, '--duration', '1']);
    expect(code).toBe(2);
    expect(output).toContain('refusing non-loopback target');
  });
});
