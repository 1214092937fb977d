import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { RedisOffsets, startPeer } from './peer-server';

/** A peer instance: PEER_PORT, AUTH_JWT_SECRET, REDIS_URL, SEND_RATE_PER_SEC, SEND_BURST. */
function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (got ${raw})`);
  return value;
}

async function main(): Promise<void> {
  const port = positiveInt('PEER_PORT', 3300);
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const pub = new Redis(redisUrl, { connectionName: `peer-${port}-pub`, maxRetriesPerRequest: 2 });
  const sub = pub.duplicate({ connectionName: `peer-${port}-sub` });
  const counters = pub.duplicate({ connectionName: `peer-${port}-offsets` });
  const peer = await startPeer(
    {
      port,
      jwtSecret: process.env['AUTH_JWT_SECRET'] ?? 'dev-secret-change-me',
      sendRatePerSec: positiveInt('SEND_RATE_PER_SEC', 20),
      sendBurst: positiveInt('SEND_BURST', 40),
    },
    new RedisOffsets(counters),
    (io) => io.adapter(createAdapter(pub, sub, { key: 'peer-baseline' })),
  );
  process.stderr.write(`peer-baseline listening on http://127.0.0.1:${peer.port}/chat (redis ${redisUrl})\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await peer.close();
    await Promise.allSettled([pub.quit(), sub.quit(), counters.quit()]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`peer-baseline failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
