import { performance } from 'node:perf_hooks';
import jwt from 'jsonwebtoken';
import { LatencyHistogram } from './histogram';
import { ChatClient, ConnectOutcome } from './protocol';

/** A protocol v1 token: HS256, sub = user id. */
export function signToken(userId: string, secret: string, expiresInSec = 3600): string {
  return jwt.sign({ sub: userId, name: userId }, secret, { algorithm: 'HS256', expiresIn: expiresInSec });
}

/** Runs `work` over 0..count-1 with at most `concurrency` in flight; stops early when `abort()` says so. */
export async function forEachLimited(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
  abort: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && !abort()) {
      const index = next++;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export interface ConnectStats {
  attempted: number;
  connected: number;
  failed: number;
  errors: Record<string, number>;
  /** Wall time from the first handshake to the last answer. */
  wallMs: number;
  /** Connections established per second of wall time. */
  perSec: number;
  latency: LatencyHistogram;
}

/** Opens `count` connections (`connect(i)`, e.g. through a ProtocolAdapter) with bounded concurrency. */
export async function connectMany(
  count: number,
  concurrency: number,
  connect: (i: number) => Promise<ConnectOutcome>,
  onClient: (i: number, client: ChatClient) => void,
  abort: () => boolean = () => false,
): Promise<ConnectStats> {
  const latency = new LatencyHistogram();
  const errors: Record<string, number> = {};
  let connected = 0;
  let failed = 0;
  const started = performance.now();
  await forEachLimited(
    count,
    concurrency,
    async (i) => {
      const outcome = await connect(i);
      if (outcome.client) {
        connected++;
        latency.recordMs(outcome.ms);
        onClient(i, outcome.client);
      } else {
        failed++;
        const key = outcome.error ?? 'unknown';
        errors[key] = (errors[key] ?? 0) + 1;
      }
    },
    abort,
  );
  const wallMs = performance.now() - started;
  return { attempted: count, connected, failed, errors, wallMs, perSec: wallMs > 0 ? (connected * 1000) / wallMs : 0, latency };
}
