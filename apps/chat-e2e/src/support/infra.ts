import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../../../..');
const run = promisify(execFile);

/**
 * Runs bash in the repo (tools/stack scripts) without blocking this process: the test's own
 * Socket.IO clients must keep answering pings meanwhile, or a Kafka restart that takes longer
 * than a ping interval drops them (execFileSync did: "ping timeout" at every client).
 */
export async function stackBash(script: string): Promise<string> {
  const { stdout, stderr } = await run('bash', ['-c', script], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  return `${stdout}${stderr}`;
}

/** Starts whatever of Kafka, Redis and PostgreSQL is not running, and waits until they are ready. */
export async function infraUp(): Promise<void> {
  await stackBash('bash tools/stack/infra.sh up');
}
