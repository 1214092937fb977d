import { parseArgs } from 'node:util';
import { CpuTarget, parseCpuTargets } from './cpu-watch';
import { assertLoopbackUrl } from './loopback';
import { PROTOCOL_NAMES, ProtocolName } from './protocol';

/** What every load-producing mode shares. */
export interface CommonOptions {
  /** Gateway base URLs (http://127.0.0.1:3000); users are spread over them round-robin. */
  urls: [string, ...string[]];
  /** HS256 secret the targets verify tokens with. */
  secret: string;
  label: string;
  /** The client protocol of the system under test. */
  protocol: ProtocolName;
  out?: string;
  runId: string;
  connectConcurrency: number;
  /** Hard wall-clock bound of the whole run, connecting and draining included. */
  timeoutSec: number;
  ackTimeoutMs: number;
  quiet: boolean;
  /** Processes whose CPU time is recorded over the measured window. */
  watchCpu: CpuTarget[];
}

export interface ChatOptions extends CommonOptions {
  mode: 'chat';
  users: number;
  rooms: number;
  members: number;
  /** Messages per second per user. */
  rate: number;
  durationSec: number;
  warmupSec: number;
  maxMessages: number;
  bodyBytes: number;
  drainMs: number;
  verifyDb?: string;
  verifyTimeoutMs: number;
  /** Load-generator processes: 'auto' picks from the offered rate (autoWorkers). */
  workers: number | 'auto';
  /** The scenario the result belongs to (chat, lowload, ...): the report keeps one per scenario and system. */
  scenario: string;
}

export interface RampOptions extends Omit<ChatOptions, 'mode' | 'rate' | 'durationSec'> {
  mode: 'ramp';
  /** Total messages per second of each step, ascending. */
  rates: number[];
  stepSec: number;
  p99LimitMs: number;
  /** A step whose offered rate is below this fraction of its target did not hold (load generator limited). */
  minOfferedRatio: number;
  /** Times a failed step is tried again before the ramp stops. */
  retries: number;
  /** A load-generator process whose event-loop delay p99 passes this during a step saturated it. */
  generatorLagMs: number;
}

export interface ConnectionsOptions extends CommonOptions {
  mode: 'connections';
  connections: number;
  holdSec: number;
  watchPid?: number;
  settleMs: number;
  /** A file where the watched process appends process.memoryUsage() after a GC on SIGUSR2 (tools/bench/memory-probe.cjs). */
  gcProbe?: string;
}

export interface IdleOptions extends Omit<CommonOptions, 'urls' | 'secret' | 'protocol' | 'connectConcurrency' | 'ackTimeoutMs'> {
  mode: 'idle';
  durationSec: number;
}

export type LoadOptions = ChatOptions | RampOptions | ConnectionsOptions | IdleOptions;

export const USAGE = `usage: loadgen <mode> [flags]

modes
  chat          N users in R rooms of M members, each sending at --rate msg/s for --duration s
  ramp          the chat workload at rising total rates (--rates) until p99 end-to-end passes
                --p99-limit-ms, a message is lost or a send fails; reports the highest rate held
  idle          no clients: the CPU of the --watch-cpu processes over --duration s (default 30)
  connections   opens --connections idle sockets on one URL; connect rate, and the RSS of
                --watch-pid before and after
  report        tables and SVG charts from result files: --results DIR --charts DIR [--doc FILE]
  profile-top   the hottest functions of a .cpuprofile: profile-top FILE [--top 25]
  machine       this machine's CPU, memory and load as JSON: machine [--out FILE]

flags of chat, ramp and connections
  --url URL              target base URL, repeatable or comma-separated (loopback only)
  --secret S             JWT HS256 secret of the targets (or env LOADGEN_JWT_SECRET)
  --label NAME           name of the system under test, written to the result
  --protocol P           socketio (protocol v1 over Socket.IO, default) or centrifugo (the
                         Centrifugo client protocol; rooms are channels chat:<roomId>)
  --out FILE             write the JSON result there
  --run-id ID            prefix of room ids and clientMsgIds (default: random)
  --connect-concurrency  handshakes in flight at once (default 100)
  --ack-timeout-ms       give up on an ack after this long (default 6000)
  --timeout S            hard bound of the whole run (default 600)
  --quiet                no progress lines
  --watch-cpu LIST       name=pid[+],...: CPU used by these processes (+: with descendants) while
                         sending (chat, each ramp step) or connecting (connections)
chat and ramp
  --users 1000 --rooms 100 --members 10 --body-bytes 64 --drain-ms 10000
  --rate R               messages per second per user (chat; default 1)
  --duration S           seconds of sending (chat; default 60)
  --warmup S             seconds sent before measuring latencies (default 0)
  --max-messages N       stop after N sends whatever the time (default 1000000)
  --verify-db URL        after the run, check every acked message is in PostgreSQL (loopback)
  --verify-timeout-ms    how long the persister may take (default 60000)
  --workers N|auto       load-generator processes (default auto: 1 up to 2000 msg/s, then one
                         more per 2000 msg/s, at most one per core); users are split over them
  --scenario NAME        the scenario the result is filed under (default: the mode; e.g. lowload)
ramp
  --rates 500,1000,...   total messages per second of each step
  --step-duration S      seconds per step (default 10)
  --p99-limit-ms 100     the end-to-end p99 a step must stay under
  --retries 1            times a failed step is tried again before the ramp stops
  --generator-lag-ms 50  a step where a load-generator process has an event-loop delay p99
                         above this (or uses > 90 % of its core) and misses a limit is
                         generator-limited, neither held nor failed
connections
  --connections 10000 --hold S (default 5) --watch-pid PID --settle-ms 3000
  --gc-probe FILE        with --watch-pid: SIGUSR2 the process before and after, read its
                         post-GC memoryUsage() from FILE (tools/bench/memory-probe.cjs)`;

const FLAGS = {
  url: { type: 'string', multiple: true },
  secret: { type: 'string' },
  label: { type: 'string' },
  protocol: { type: 'string' },
  out: { type: 'string' },
  'run-id': { type: 'string' },
  'connect-concurrency': { type: 'string' },
  'ack-timeout-ms': { type: 'string' },
  timeout: { type: 'string' },
  quiet: { type: 'boolean' },
  'watch-cpu': { type: 'string' },
  users: { type: 'string' },
  rooms: { type: 'string' },
  members: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  'max-messages': { type: 'string' },
  'body-bytes': { type: 'string' },
  'drain-ms': { type: 'string' },
  'verify-db': { type: 'string' },
  'verify-timeout-ms': { type: 'string' },
  rates: { type: 'string' },
  'step-duration': { type: 'string' },
  'p99-limit-ms': { type: 'string' },
  'min-offered-ratio': { type: 'string' },
  retries: { type: 'string' },
  connections: { type: 'string' },
  hold: { type: 'string' },
  'watch-pid': { type: 'string' },
  'settle-ms': { type: 'string' },
  'gc-probe': { type: 'string' },
  workers: { type: 'string' },
  scenario: { type: 'string' },
  'generator-lag-ms': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true; allowPositionals: true }>>['values'];

/** Parses the flags of a load-producing mode; throws with a readable message on any bad value. */
export function parseLoadOptions(argv: readonly string[], env: NodeJS.ProcessEnv = {}, randomId = defaultRunId): LoadOptions {
  const [mode, ...rest] = argv;
  if (mode !== 'chat' && mode !== 'ramp' && mode !== 'connections' && mode !== 'idle') throw new Error(`unknown mode ${mode ?? '(none)'}\n\n${USAGE}`);
  const { values, positionals } = parseArgs({ args: [...rest], options: FLAGS, strict: true, allowPositionals: true });
  if (positionals.length > 0) throw new Error(`unexpected argument ${positionals[0]}`);
  const only = (allowed: readonly (keyof typeof FLAGS)[]) => {
    for (const key of Object.keys(values) as (keyof typeof FLAGS)[]) {
      if (!allowed.includes(key) && !COMMON_FLAGS.includes(key)) throw new Error(`--${key} does not apply to ${mode}`);
    }
  };

  if (mode === 'idle') {
    for (const key of Object.keys(values) as (keyof typeof FLAGS)[]) {
      if (!IDLE_FLAGS.includes(key)) throw new Error(`--${key} does not apply to idle`);
    }
    const runId = values['run-id'] ?? randomId();
    return {
      mode,
      label: values.label ?? 'target',
      out: values.out,
      runId,
      timeoutSec: num(values, 'timeout', 600, 1, 24 * 3600),
      quiet: values.quiet ?? false,
      watchCpu: parseCpuTargets(values['watch-cpu'] ?? ''),
      durationSec: num(values, 'duration', 30, 0.1, 3600),
    };
  }
  const urls = (values.url ?? []).flatMap((u) => u.split(',')).map((u) => u.trim()).filter(Boolean);
  const [firstUrl, ...moreUrls] = urls.map((u) => {
    const url = assertLoopbackUrl(u);
    if (url.pathname !== '/' || url.search) throw new Error(`--url takes a base URL without a path (the namespace /chat is added): ${u}`);
    return url.origin;
  });
  const secret = values.secret ?? env['LOADGEN_JWT_SECRET'];
  if (!secret) throw new Error('--secret (or env LOADGEN_JWT_SECRET) is required');
  const protocol = values.protocol ?? 'socketio';
  if (!isProtocolName(protocol)) throw new Error(`--protocol must be one of ${PROTOCOL_NAMES.join(', ')} (got ${protocol})`);
  const runId = values['run-id'] ?? randomId();
  if (!/^[a-z0-9][a-z0-9-]{0,23}$/.test(runId)) throw new Error('--run-id must be 1-24 chars of a-z0-9- starting with a letter or digit');

  if (firstUrl === undefined) throw new Error('at least one --url is required');
  const common: CommonOptions = {
    urls: [firstUrl, ...moreUrls],
    secret,
    label: values.label ?? 'target',
    protocol,
    out: values.out,
    runId,
    connectConcurrency: int(values, 'connect-concurrency', 100, 1, 5000),
    timeoutSec: num(values, 'timeout', 600, 1, 24 * 3600),
    ackTimeoutMs: int(values, 'ack-timeout-ms', 6000, 100, 120_000),
    quiet: values.quiet ?? false,
    watchCpu: parseCpuTargets(values['watch-cpu'] ?? ''),
  };

  if (mode === 'connections') {
    only(['connections', 'hold', 'watch-pid', 'settle-ms', 'gc-probe']);
    if (moreUrls.length > 0) throw new Error('connections takes exactly one --url (the gateway whose memory is watched)');
    const watch = values['watch-pid'];
    const result: ConnectionsOptions = {
      ...common,
      mode,
      connections: int(values, 'connections', 10_000, 1, 100_000),
      holdSec: num(values, 'hold', 5, 0, 3600),
      watchPid: watch === undefined ? undefined : int(values, 'watch-pid', 0, 1, 2 ** 31),
      settleMs: int(values, 'settle-ms', 3000, 0, 600_000),
      gcProbe: values['gc-probe'],
    };
    if (result.gcProbe && !result.watchPid) throw new Error('--gc-probe needs --watch-pid');
    return result;
  }

  const workload = {
    users: int(values, 'users', 1000, 1, 100_000),
    rooms: int(values, 'rooms', 100, 1, 100_000),
    members: int(values, 'members', 10, 1, 255),
    warmupSec: num(values, 'warmup', 0, 0, 3600),
    maxMessages: int(values, 'max-messages', 1_000_000, 1, 10_000_000),
    bodyBytes: int(values, 'body-bytes', 64, 24, 4000),
    drainMs: int(values, 'drain-ms', 10_000, 0, 600_000),
    verifyDb: values['verify-db'] === undefined ? undefined : checkDbUrl(values['verify-db']),
    verifyTimeoutMs: int(values, 'verify-timeout-ms', 60_000, 0, 3_600_000),
    workers: values.workers === undefined || values.workers === 'auto' ? ('auto' as const) : int(values, 'workers', 1, 1, 64),
    scenario: values.scenario ?? mode,
  };
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(workload.scenario)) throw new Error('--scenario must be 1-32 chars of a-z0-9- starting with a letter');
  if (workload.members > workload.users) throw new Error(`--members ${workload.members} needs at least as many --users`);

  if (mode === 'chat') {
    only(['users', 'rooms', 'members', 'rate', 'duration', 'warmup', 'max-messages', 'body-bytes', 'drain-ms', 'verify-db', 'verify-timeout-ms', 'workers', 'scenario']);
    const durationSec = num(values, 'duration', 60, 0.1, 24 * 3600);
    if (workload.warmupSec >= durationSec) throw new Error('--warmup must be shorter than --duration');
    return { ...common, ...workload, mode, rate: num(values, 'rate', 1, 0.001, 10_000), durationSec };
  }

  only(['users', 'rooms', 'members', 'max-messages', 'body-bytes', 'drain-ms', 'rates', 'step-duration', 'p99-limit-ms', 'min-offered-ratio', 'retries', 'verify-db', 'verify-timeout-ms', 'workers', 'scenario', 'generator-lag-ms']);
  const rates = (values.rates ?? '500,1000,1500,2000,2500,3000,4000,5000,6000,8000,10000')
    .split(',')
    .map((r) => Number(r.trim()));
  if (rates.some((r) => !Number.isFinite(r) || r <= 0) || rates.some((r, i) => i > 0 && r <= (rates[i - 1] ?? -Infinity))) {
    throw new Error('--rates must be ascending positive numbers, comma-separated');
  }
  return {
    ...common,
    ...workload,
    mode,
    rates,
    stepSec: num(values, 'step-duration', 10, 0.5, 3600),
    p99LimitMs: num(values, 'p99-limit-ms', 100, 0.1, 60_000),
    minOfferedRatio: num(values, 'min-offered-ratio', 0.95, 0, 1),
    retries: int(values, 'retries', 1, 0, 10),
    generatorLagMs: num(values, 'generator-lag-ms', 50, 1, 60_000),
  };
}

const IDLE_FLAGS: readonly (keyof typeof FLAGS)[] = ['label', 'out', 'run-id', 'timeout', 'quiet', 'watch-cpu', 'duration'];

const COMMON_FLAGS: readonly (keyof typeof FLAGS)[] = ['url', 'secret', 'label', 'protocol', 'out', 'run-id', 'connect-concurrency', 'ack-timeout-ms', 'timeout', 'quiet', 'watch-cpu'];

function isProtocolName(name: string): name is ProtocolName {
  return (PROTOCOL_NAMES as readonly string[]).includes(name);
}

function checkDbUrl(raw: string): string {
  assertLoopbackUrl(raw, ['postgres:', 'postgresql:']);
  return raw;
}

function num(values: Values, key: keyof typeof FLAGS, fallback: number, min: number, max: number): number {
  const raw = values[key];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${key} must be a number from ${min} to ${max} (got ${String(raw)})`);
  }
  return value;
}

function int(values: Values, key: keyof typeof FLAGS, fallback: number, min: number, max: number): number {
  const value = num(values, key, fallback, min, max);
  if (!Number.isInteger(value)) throw new Error(`--${key} must be an integer (got ${String(values[key])})`);
  return value;
}

export function defaultRunId(): string {
  return `lg${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
