// CPU of one analytics process at a steady 1,000 messages/s on chat.messages.v1 for 30 s:
//   npx nx build analytics && node tools/bench/analytics-cpu.cjs [--rate 1000] [--seconds 30] [--out docs/benchmarks/analytics-cpu.md]
// Starts analytics from dist/ with groups and a Redis key space of its own (at the topics' current
// ends, so no backlog is counted), produces the messages itself, samples /proc/<pid>/stat once a
// second, checks every message was counted once, then stops analytics and removes its groups and keys.
'use strict';
const { spawn, execSync } = require('node:child_process');
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { join, dirname } = require('node:path');
const os = require('node:os');
const { parseArgs } = require('node:util');

const ROOT = join(__dirname, '../..');
const { Kafka, logLevel } = require(join(ROOT, 'node_modules/kafkajs'));
const Redis = require(join(ROOT, 'node_modules/ioredis'));

const { values } = parseArgs({ options: { rate: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '30' }, out: { type: 'string' }, port: { type: 'string', default: '3230' } } });
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const PORT = Number(values.port);
const TICK_MS = 100;
const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const SPACE = `analytics-bench-${RUN}`;
const TOPICS = ['chat.messages.v1', 'chat.signals.v1', 'presence.changes.v1', 'ops.logs.v1'];
const ROOMS = Array.from({ length: 20 }, (_, i) => `bench-${RUN}-${i}`);
const BROKERS = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim());
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** utime + stime in seconds, and the resident set in MiB, of a process. */
function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12, rss (24) at 21.
  return { cpu: (Number(fields[11]) + Number(fields[12])) / CLK_TCK, rssMiB: (Number(fields[21]) * 4096) / 2 ** 20 };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function waitReady(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`analytics exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(250);
  }
  throw new Error('analytics not ready in time');
}

async function main() {
  const kafka = new Kafka({ clientId: 'analytics-bench', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  for (const topic of TOPICS) {
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId: `${SPACE}.${topic}`, topic, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });
  }
  const url = `http://127.0.0.1:${PORT}`;
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/analytics/main.js')], {
    env: { ...process.env, ANALYTICS_PORT: String(PORT), ANALYTICS_GROUP_ID: SPACE, ANALYTICS_KEY_SPACE: SPACE, ANALYTICS_FROM_BEGINNING: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const redis = new Redis(REDIS_URL);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  try {
    await waitReady(url, child);
    await producer.connect();
    await sleep(3000);
    const idleFrom = cpuOf(child.pid);
    await sleep(5000);
    const idle = (cpuOf(child.pid).cpu - idleFrom.cpu) / 5;
    const loadBefore = os.loadavg();

    let sent = 0;
    const samples = [];
    let last = { at: Date.now(), ...cpuOf(child.pid) };
    const sampler = setInterval(() => {
      const now = { at: Date.now(), ...cpuOf(child.pid) };
      samples.push({ cores: (now.cpu - last.cpu) / ((now.at - last.at) / 1000), rssMiB: now.rssMiB });
      last = now;
    }, 1000);
    const start = Date.now();
    const first = cpuOf(child.pid);
    while (Date.now() - start < SECONDS * 1000) {
      const due = Math.min(RATE * SECONDS, Math.floor(((Date.now() - start + TICK_MS) / 1000) * RATE));
      const messages = [];
      for (; sent + messages.length < due; ) {
        const i = sent + messages.length;
        const roomId = ROOMS[i % ROOMS.length];
        const record = { messageId: `${RUN}-${i}`, roomId, senderId: `u${i % 50}`, body: `benchmark message ${i}`, clientMsgId: `c-${i}`, sentAt: new Date().toISOString() };
        messages.push({ key: roomId, value: JSON.stringify(record) });
      }
      if (messages.length > 0) await producer.send({ topic: TOPICS[0], acks: 1, messages });
      sent += messages.length;
      await sleep(Math.max(0, start + Math.ceil((sent / RATE) * 1000) - Date.now()));
    }
    const producedIn = (Date.now() - start) / 1000;
    const during = (cpuOf(child.pid).cpu - first.cpu) / producedIn;
    clearInterval(sampler);
    const stoppedAt = Date.now();
    let counted = 0;
    while (Date.now() - stoppedAt < 60_000) {
      counted = 0;
      for (const room of ROOMS) counted += Number((await redis.hget(`${SPACE}:room-totals:${room}`, 'messages')) || 0);
      if (counted >= sent) break;
      await sleep(200);
    }
    const caughtUpMs = Date.now() - stoppedAt;
    const loadAfter = os.loadavg();
    const cores = samples.slice(2).map((s) => s.cores).sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      rate: RATE,
      seconds: SECONDS,
      sent,
      counted,
      producedIn,
      idleCores: idle,
      meanCores: during,
      p50Cores: percentile(cores, 50),
      p95Cores: percentile(cores, 95),
      maxRssMiB: Math.max(...samples.map((s) => s.rssMiB)),
      caughtUpMs,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      loadBefore,
      loadAfter,
    };
    report(result);
    if (counted !== sent) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    await producer.disconnect().catch(() => undefined);
    await admin.deleteGroups(TOPICS.map((t) => `${SPACE}.${t}`)).catch(() => undefined);
    await admin.disconnect();
    const keys = await redis.keys(`${SPACE}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    await redis.quit();
  }
}

function report(r) {
  const pct = (cores) => `${(cores * 100).toFixed(1)}%`;
  const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
  const text = [
    `analytics at ${r.rate} messages/s for ${r.seconds} s (${r.sent} sent, ${r.counted} counted once, all counted ${r.caughtUpMs} ms after the last send)`,
    `  CPU of one core: mean ${pct(r.meanCores)}, per second p50 ${pct(r.p50Cores)}, p95 ${pct(r.p95Cores)}; idle ${pct(r.idleCores)}; max RSS ${r.maxRssMiB.toFixed(0)} MiB`,
    `  machine: ${r.cpus} × ${r.cpuModel}; load average before ${load(r.loadBefore)}, after ${load(r.loadAfter)}`,
  ].join('\n');
  process.stdout.write(`${text}\n`);
  if (values.out) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, markdown(r, pct, load));
  }
}

function markdown(r, pct, load) {
  return `# Analytics CPU at ${r.rate} messages per second

Measured ${r.date} with \`node tools/bench/analytics-cpu.cjs --out docs/benchmarks/analytics-cpu.md\`
(after \`npx nx build analytics\`): one analytics process from \`dist/\`, its own consumer groups
and Redis key space, ${r.rate} messages/s produced to \`chat.messages.v1\` (20 rooms, 50 senders,
${r.seconds} s); CPU from \`/proc/<pid>/stat\` (utime + stime) sampled once a second.

| | |
|---|---|
| messages sent / counted once | ${r.sent} / ${r.counted} |
| CPU, mean over the ${r.seconds} s (share of one core) | **${pct(r.meanCores)}** |
| CPU per second, p50 / p95 | ${pct(r.p50Cores)} / ${pct(r.p95Cores)} |
| CPU idle (before the load) | ${pct(r.idleCores)} |
| max RSS | ${r.maxRssMiB.toFixed(0)} MiB |
| all counted after the last send | ${r.caughtUpMs} ms |
| machine | ${r.cpus} × ${r.cpuModel} |
| load average (1, 5, 15 min) before / after | ${load(r.loadBefore)} / ${load(r.loadAfter)} |

The machine was shared: other work (builds, tests of other branches) ran at the same time on its
${r.cpus} cores, as the load average shows, so the figure is that of a busy machine: a process
waiting for a core is not charged CPU, but caches and Redis and Kafka (on the same machine) are
shared, and the numbers vary from run to run. Kafka and Redis themselves are not counted; the
producer runs in the benchmark's own process.
`;
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exitCode = 1;
});
