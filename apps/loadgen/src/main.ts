import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseLoadOptions, USAGE } from './lib/options';
import { LoadResult } from './lib/result';
import { runIdle } from './lib/idle';
import { runChat, runConnections, runRamp } from './lib/runs';
import { runWorker } from './lib/workers/worker-main';
import { machineInfo } from './lib/self-probe';
import { formatSummary } from './lib/summary';
import { runProfileTop } from './report/cpuprofile';
import { runReport } from './report/report';

/** Exit codes: 0 ok, 1 the run had problems (failed connects, timeout...), 2 bad usage. */
async function main(argv: string[]): Promise<number> {
  const [mode] = argv;
  if (!mode || mode === '--help' || mode === '-h' || mode === 'help') {
    process.stdout.write(USAGE + '\n');
    return mode ? 0 : 2;
  }
  if (mode === 'report') return runReport(argv.slice(1));
  // Forked by WorkerPool (--workers): not a mode to run by hand.
  if (mode === 'worker') return runWorker();
  if (mode === 'profile-top') return runProfileTop(argv.slice(1));
  if (mode === 'machine') {
    const out = argv[1] === '--out' ? argv[2] : undefined;
    const json = JSON.stringify(machineInfo(), null, 2) + '\n';
    if (out) write(out, json);
    else process.stdout.write(json);
    return 0;
  }

  let options;
  try {
    options = parseLoadOptions(argv, process.env);
  } catch (error) {
    process.stderr.write(`loadgen: ${(error as Error).message}\n`);
    return 2;
  }
  const log = options.quiet ? () => undefined : (line: string) => process.stderr.write(`[loadgen ${options.label}] ${line}\n`);
  let result: LoadResult;
  if (options.mode === 'chat') result = await runChat(options, log);
  else if (options.mode === 'ramp') result = await runRamp(options, log);
  else if (options.mode === 'idle') result = await runIdle(options, log);
  else result = await runConnections(options, log);

  process.stdout.write(formatSummary(result) + '\n');
  if (options.out) write(options.out, JSON.stringify(result, null, 2) + '\n');
  return result.problems.length === 0 ? 0 : 1;
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

main(process.argv.slice(2)).then(
  (code) => {
    // Sockets are closed, but socket.io-client may keep timers a little longer: do not wait for them.
    process.exitCode = code;
    setTimeout(() => process.exit(code), 200).unref();
  },
  (error: unknown) => {
    process.stderr.write(`loadgen failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
