import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { adapterFor } from './adapters';
import { PhaseReport } from './accounting';
import { ChatEngine, EngineConfig, LoadEngine, Log, sleep } from './chat-engine';
import { connectMany, ConnectStats, signToken } from './clients';
import { CpuReport, CpuWatch, formatCpu } from './cpu-watch';
import { ChatOptions, ConnectionsOptions, RampOptions } from './options';
import { ChatClient } from './protocol';
import { verifyPersisted } from './persistence';
import { ChatResult, ConnectionsResult, ConnectSummary, MemoryUsageSample, RampResult, RampStep, ResultBase, Throughput } from './result';
import { currentLoadAvg, machineInfo, readRssKiB, SelfProbe } from './self-probe';
import { autoWorkers, generatorProcesses, generatorSaturation, stepVerdict } from './generator-load';
import { buildTopology } from './topology';
import { WorkerPool } from './workers/worker-pool';

const WARMUP_PHASE = 0;
const MEASURED_PHASE = 1;

function base<K extends ResultBase['kind']>(kind: K, options: ChatOptions | RampOptions | ConnectionsOptions) {
  return {
    schema: 'loadgen-result/1' as const,
    kind,
    scenario: options.mode === 'connections' ? 'connections' : options.scenario,
    label: options.label,
    protocol: options.protocol,
    runId: options.runId,
    startedAt: new Date().toISOString(),
    targets: options.urls,
    machine: machineInfo(),
    loadAvgStart: currentLoadAvg(),
    problems: [] as string[],
  };
}

function connectSummary(stats: ConnectStats): ConnectSummary {
  return {
    attempted: stats.attempted,
    connected: stats.connected,
    failed: stats.failed,
    errors: stats.errors,
    wallMs: Math.round(stats.wallMs),
    perSec: Math.round(stats.perSec * 10) / 10,
    latencyMs: stats.latency.summary(),
  };
}

function throughputOf(report: PhaseReport): Throughput {
  return { sentPerSec: report.sentPerSec, ackedPerSec: report.ackedPerSec, deliveriesPerSec: report.deliveriesPerSec, windowMs: report.sendWindowMs };
}

function engineConfig(options: ChatOptions | RampOptions, deadline: number): EngineConfig {
  return {
    urls: options.urls,
    secret: options.secret,
    runId: options.runId,
    users: options.users,
    rooms: options.rooms,
    members: options.members,
    bodyBytes: options.bodyBytes,
    connectConcurrency: options.connectConcurrency,
    ackTimeoutMs: options.ackTimeoutMs,
    maxMessages: options.maxMessages,
    deadline,
    protocol: adapterFor(options.protocol),
  };
}

/**
 * The workload in this process, or split over worker processes (--workers, or auto from the
 * highest rate the run will offer).
 */
async function openEngine(options: ChatOptions | RampOptions, deadline: number, log: Log): Promise<LoadEngine> {
  const senders = buildTopology(options.users, options.rooms, options.members).sendOrder.length;
  const maxRate = options.mode === 'chat' ? options.rate * senders : Math.max(...options.rates);
  const workers = options.workers === 'auto' ? autoWorkers(maxRate, machineInfo().nproc) : options.workers;
  const config = engineConfig(options, deadline);
  if (workers <= 1) return new ChatEngine(config, log);
  log(`splitting ${options.users} users over ${workers} worker processes`);
  return WorkerPool.start(config, options.protocol, workers, log);
}

/** Connects and joins; a run with users missing would measure another workload, so it stops. */
async function prepare(engine: LoadEngine, log: Log, problems: string[]): Promise<ConnectStats> {
  log(`connecting users`);
  const stats = await engine.connect();
  log(`connected ${stats.connected}/${stats.attempted} in ${Math.round(stats.wallMs)} ms (${Math.round(stats.perSec)}/s)`);
  if (stats.failed > 0 || stats.connected < stats.attempted) {
    problems.push(`connect: ${stats.failed} failed (${JSON.stringify(stats.errors)})${engine.expired ? ', timed out' : ''}`);
    return stats;
  }
  const joinFailures = await engine.joinAll();
  if (joinFailures.length > 0) problems.push(`join: ${joinFailures.length} failed, e.g. ${joinFailures.slice(0, 3).join('; ')}`);
  log(`joined ${engine.roomIds.length} rooms (p99 ${engine.joinLatency.summary().p99} ms)`);
  return stats;
}

export async function runChat(options: ChatOptions, log: Log): Promise<ChatResult> {
  const head = base('chat', options);
  const probe = new SelfProbe();
  const deadline = performance.now() + options.timeoutSec * 1000;
  const engine = await openEngine(options, deadline, log);
  const problems = head.problems;
  let maxPacerLagMs = 0;
  let cpu: CpuReport | undefined;
  let workerLoad: ChatResult['loadgenWorkers'];
  const watch = options.watchCpu.length > 0 ? new CpuWatch(options.watchCpu, head.machine.nproc, engine.pids) : undefined;
  try {
    const stats = await prepare(engine, log, problems);
    const connect = connectSummary(stats);
    if (problems.length === 0) {
      const rate = options.rate * engine.senders;
      log(`sending ${rate} msg/s (${options.rate}/s per user) for ${options.durationSec} s, the first ${options.warmupSec} s unmeasured`);
      let cpuFrom: ReturnType<CpuWatch['snapshot']> | undefined;
      const cpuTimer = setTimeout(() => (cpuFrom = watch?.snapshot()), options.warmupSec * 1000);
      const pacer = await engine.send(rate, options.durationSec * 1000, { warmupMs: options.warmupSec * 1000, warmupPhase: WARMUP_PHASE, phase: MEASURED_PHASE });
      clearTimeout(cpuTimer);
      if (watch && cpuFrom) cpu = watch.report(cpuFrom, watch.snapshot());
      maxPacerLagMs = pacer.maxLagMs;
      workerLoad = pacer.workers;
      const waited = await engine.drain(options.drainMs);
      log(`sent ${pacer.taken}; drained in ${Math.round(waited)} ms`);
      if (engine.expired) problems.push(`the run hit its --timeout of ${options.timeoutSec} s`);
    }
    await engine.close();
    // Replayed once the workers are gone: what they had not handed over yet is in now.
    const all = engine.accounting.report([WARMUP_PHASE, MEASURED_PHASE]);
    const measured = engine.accounting.report([MEASURED_PHASE]);
    all.counts.unexpected += engine.accounting.unexpectedOutsidePhases();

    const result: ChatResult = {
      ...head,
      kind: 'chat',
      config: {
        users: options.users,
        rooms: options.rooms,
        members: options.members,
        bodyBytes: options.bodyBytes,
        ratePerUser: options.rate,
        durationSec: options.durationSec,
        warmupSec: options.warmupSec,
        maxMessages: options.maxMessages,
      },
      connect,
      joinMs: engine.joinLatency.summary(),
      counts: all.counts,
      ackMs: measured.ackMs,
      e2eMs: measured.e2eMs,
      throughput: throughputOf(measured),
      timeline: engine.accounting.timeline(),
      maxPacerLagMs: Math.round(maxPacerLagMs),
      disconnects: engine.disconnects,
      cpu,
      workers: Math.max(1, engine.pids.length),
      loadgenWorkers: workerLoad,
      finishedAt: '',
      loadAvgEnd: currentLoadAvg(),
      loadgen: probe.stop(),
    };
    if (options.verifyDb && problems.length === 0) {
      log(`checking ${all.counts.acked} acked messages in PostgreSQL`);
      result.persistence = await verifyPersisted(options.verifyDb, engine.accounting.ackedMessages(), options.verifyTimeoutMs);
      log(`persisted ${result.persistence.persisted}/${result.persistence.acked} (waited ${result.persistence.waitedMs} ms)`);
    }
    result.finishedAt = new Date().toISOString();
    return result;
  } finally {
    await engine.close();
  }
}

export async function runRamp(options: RampOptions, log: Log): Promise<RampResult> {
  const head = base('ramp', options);
  const probe = new SelfProbe();
  const deadline = performance.now() + options.timeoutSec * 1000;
  const engine = await openEngine(options, deadline, log);
  const steps: RampStep[] = [];
  const watch = options.watchCpu.length > 0 ? new CpuWatch(options.watchCpu, head.machine.nproc, engine.pids) : undefined;
  try {
    const stats = await prepare(engine, log, head.problems);
    const connect = connectSummary(stats);
    if (head.problems.length === 0) {
      let phase = 0;
      for (const rate of options.rates) {
        let step: RampStep | undefined;
        // A step that fails is tried again (--retries): one GC pause or a burst of other work on a
        // shared machine should not end the ramp; a real limit fails every attempt.
        for (let attempt = 1; attempt <= 1 + options.retries; attempt++) {
          if (engine.expired) {
            head.problems.push(`the run hit its --timeout of ${options.timeoutSec} s at the rate ${rate}`);
            break;
          }
          step = await rampStep(engine, options, rate, phase++, attempt, watch, log);
          steps.push(step);
          if (step.held) break;
        }
        if (!step?.held) break;
      }
    }
    const held = [...steps].reverse().find((s) => s.held);
    const last = steps[steps.length - 1];
    return {
      ...head,
      kind: 'ramp',
      config: {
        users: options.users,
        rooms: options.rooms,
        members: options.members,
        bodyBytes: options.bodyBytes,
        rates: options.rates,
        stepSec: options.stepSec,
        p99LimitMs: options.p99LimitMs,
        retries: options.retries,
      },
      connect,
      steps,
      highestHeld: held
        ? { targetPerSec: held.targetPerSec, ackedPerSec: held.throughput.ackedPerSec, deliveriesPerSec: held.throughput.deliveriesPerSec, e2eP99Ms: held.e2eMs.p99 }
        : null,
      generatorLimitedAt: last?.verdict === 'generator-limited' ? last.targetPerSec : undefined,
      disconnects: engine.disconnects,
      workers: Math.max(1, engine.pids.length),
      finishedAt: new Date().toISOString(),
      loadAvgEnd: currentLoadAvg(),
      loadgen: probe.stop(),
    };
  } finally {
    await engine.close();
  }
}

async function rampStep(engine: LoadEngine, options: RampOptions, rate: number, phase: number, attempt: number, watch: CpuWatch | undefined, log: Log): Promise<RampStep> {
  const stepProbe = new SelfProbe();
  const cpuFrom = watch?.snapshot();
  const pacer = await engine.send(rate, options.stepSec * 1000, { warmupMs: 0, warmupPhase: phase, phase });
  const cpu = watch && cpuFrom ? watch.report(cpuFrom, watch.snapshot()) : undefined;
  await engine.drain(options.drainMs, phase);
  const report = engine.accounting.report([phase]);
  const self = stepProbe.stop();
  const processes = generatorProcesses(self, pacer.workers);
  const loadgenCpu = Math.round(processes.reduce((sum, p) => sum + p.cpuPercent, 0) * 1000) / 1000;
  const loadgenLag = Math.max(...processes.map((p) => p.eventLoopDelayP99Ms));
  const saturation = generatorSaturation(processes, { maxCpuPercent: 90, maxLagP99Ms: options.generatorLagMs });
  const reasons: string[] = [];
  if (report.e2eMs.p99 > options.p99LimitMs) reasons.push(`p99 end-to-end ${report.e2eMs.p99} ms > ${options.p99LimitMs} ms`);
  if (report.counts.lost > 0) reasons.push(`${report.counts.lost} deliveries lost`);
  if (report.counts.failed > 0) reasons.push(`${report.counts.failed} sends failed ${JSON.stringify(report.counts.failures)}`);
  const underOffered = report.sentPerSec < rate * options.minOfferedRatio;
  if (pacer.taken < rate * options.stepSec * options.minOfferedRatio) reasons.push(`sent only ${pacer.taken} (message bound or timeout)`);
  const verdict = stepVerdict(reasons, saturation, underOffered);
  if (underOffered) saturation.unshift(`offered only ${report.sentPerSec}/s of ${rate}/s`);
  const step: RampStep = {
    targetPerSec: rate,
    attempt,
    held: verdict === 'held',
    verdict,
    reasons: verdict === 'generator-limited' ? [...reasons, ...saturation] : reasons,
    generatorSaturation: saturation,
    counts: report.counts,
    ackMs: report.ackMs,
    e2eMs: report.e2eMs,
    throughput: throughputOf(report),
    maxPacerLagMs: Math.round(pacer.maxLagMs),
    loadgenCpuPercent: loadgenCpu,
    loadgenEventLoopP99Ms: loadgenLag,
    loadgenProcesses: processes,
    loadAvg: currentLoadAvg(),
    cpu,
  };
  log(
    `step ${rate}/s${attempt > 1 ? ` (attempt ${attempt})` : ''}: ${verdict === 'held' ? 'held' : verdict === 'failed' ? 'NOT held' : 'GENERATOR-LIMITED'} in ${report.ackedPerSec}/s, out ${report.deliveriesPerSec}/s, ` +
      `e2e p50 ${report.e2eMs.p50} p99 ${report.e2eMs.p99} ms, lost ${report.counts.lost}, loadgen cpu ${loadgenCpu}% lag p99 ${loadgenLag} ms` +
      (cpu ? `; cpu ${formatCpu(cpu)}` : '') +
      (reasons.length ? ` (${reasons.join('; ')})` : ''),
  );
  return step;
}

export async function runConnections(options: ConnectionsOptions, log: Log): Promise<ConnectionsResult> {
  const head = base('connections', options);
  const probe = new SelfProbe();
  const deadline = performance.now() + options.timeoutSec * 1000;
  const clients: ChatClient[] = [];
  const protocol = adapterFor(options.protocol);
  let disconnects = 0;
  let holding = false;
  const pid = options.watchPid;
  const watch = options.watchCpu.length > 0 ? new CpuWatch(options.watchCpu, head.machine.nproc) : undefined;
  try {
    const gcBefore = pid && options.gcProbe ? await probeAfterGc(pid, options.gcProbe) : undefined;
    const rssBefore = pid ? readRssKiB(pid) : 0;
    const [url] = options.urls;
    const cpuFrom = watch?.snapshot();
    log(`opening ${options.connections} idle connections to ${url}${pid ? ` (pid ${pid}, VmRSS ${rssBefore} KiB)` : ''}`);
    const stats = await connectMany(
      options.connections,
      options.connectConcurrency,
      (i) =>
        protocol.connect(
          url,
          signToken(`${options.runId}-idle${i}`, options.secret),
          {
            onMessage: () => undefined,
            onDisconnect: () => {
              if (holding) disconnects++;
            },
          },
          20_000,
        ),
      (_, client) => clients.push(client),
      () => performance.now() > deadline,
    );
    log(`connected ${stats.connected}/${stats.attempted} in ${Math.round(stats.wallMs)} ms (${Math.round(stats.perSec)}/s)`);
    if (stats.failed > 0) head.problems.push(`connect: ${stats.failed} failed (${JSON.stringify(stats.errors)})`);
    const rssConnected = pid ? readRssKiB(pid) : 0;
    const cpu = watch && cpuFrom ? watch.report(cpuFrom, watch.snapshot()) : undefined;
    holding = true;
    const samples: number[] = [];
    const holdUntil = performance.now() + Math.max(options.holdSec * 1000, options.settleMs);
    while (performance.now() < holdUntil) {
      await sleep(Math.min(1000, Math.max(1, holdUntil - performance.now())));
      if (pid) samples.push(readRssKiB(pid));
    }
    holding = false;
    const rssAfter = pid ? readRssKiB(pid) : 0;
    const gcAfter = pid && options.gcProbe ? await probeAfterGc(pid, options.gcProbe) : undefined;
    const perConn = (bytes: number) => (stats.connected > 0 ? Math.round((bytes / 1024 / stats.connected) * 100) / 100 : 0);
    if (disconnects > 0) head.problems.push(`${disconnects} idle connections dropped during the hold`);
    return {
      ...head,
      kind: 'connections',
      config: { connections: options.connections, holdSec: options.holdSec, concurrency: options.connectConcurrency },
      connect: connectSummary(stats),
      rss: pid
        ? {
            pid,
            beforeKiB: rssBefore,
            connectedKiB: rssConnected,
            afterHoldKiB: rssAfter,
            perConnectionKiB: stats.connected > 0 ? Math.round(((rssAfter - rssBefore) / stats.connected) * 100) / 100 : 0,
            samplesKiB: samples,
          }
        : undefined,
      disconnectsDuringHold: disconnects,
      afterGc:
        gcBefore && gcAfter
          ? {
              before: gcBefore,
              after: gcAfter,
              livePerConnectionKiB: perConn(gcAfter.heapUsed + gcAfter.external - gcBefore.heapUsed - gcBefore.external),
              rssPerConnectionKiB: perConn(gcAfter.rss - gcBefore.rss),
            }
          : undefined,
      cpu,
      finishedAt: new Date().toISOString(),
      loadAvgEnd: currentLoadAvg(),
      loadgen: probe.stop(),
    };
  } finally {
    for (const client of clients) client.close();
  }
}

/** SIGUSR2 to a process running tools/bench/memory-probe.cjs; its next line of `file`. */
async function probeAfterGc(pid: number, file: string): Promise<MemoryUsageSample | undefined> {
  const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
  const seen = lines().length;
  process.kill(pid, 'SIGUSR2');
  const until = performance.now() + 10_000;
  while (performance.now() < until) {
    await sleep(100);
    const all = lines();
    const newest = all.at(-1);
    if (all.length > seen && newest !== undefined) {
      const m = JSON.parse(newest) as MemoryUsageSample;
      return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
    }
  }
  return undefined;
}
