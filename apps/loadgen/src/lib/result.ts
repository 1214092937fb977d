import { DeliveryCounts, TimelinePoint } from './accounting';
import { CpuReport } from './cpu-watch';
import { GeneratorProcess, StepVerdict } from './generator-load';
import { LatencySummary } from './histogram';
import { ProtocolName } from './protocol';
import { MachineInfo, SelfReport } from './self-probe';

/** The JSON a run writes (--out); `report` reads these. */
export interface ResultBase {
  schema: 'loadgen-result/1';
  kind: 'chat' | 'ramp' | 'connections' | 'idle';
  /** What the result is filed under: the kind, or a variant of it (lowload is a chat run); absent in older results. */
  scenario?: string;
  label: string;
  /** The client protocol the load generator spoke (absent in results from before adapters: socketio). */
  protocol?: ProtocolName;
  runId: string;
  startedAt: string;
  finishedAt: string;
  targets: string[];
  machine: MachineInfo;
  /** Load average when the run started and ended: other work on the machine shows here. */
  loadAvgStart: [number, number, number];
  loadAvgEnd: [number, number, number];
  loadgen: SelfReport;
  /** Why the run is not to be trusted, if it is not (connect failures, timeout...). */
  problems: string[];
}

export interface ConnectSummary {
  attempted: number;
  connected: number;
  failed: number;
  errors: Record<string, number>;
  wallMs: number;
  perSec: number;
  latencyMs: LatencySummary;
}

export interface WorkloadConfig {
  users: number;
  rooms: number;
  members: number;
  bodyBytes: number;
}

export interface Throughput {
  /** Sends per second (offered). */
  sentPerSec: number;
  /** Ok-acks per second: messages in. */
  ackedPerSec: number;
  /** message:new per second: deliveries out. */
  deliveriesPerSec: number;
  windowMs: number;
}

export interface PersistenceCheck {
  acked: number;
  persisted: number;
  missing: number;
  offsetMismatches: number;
  waitedMs: number;
  sampleMissing: string[];
  error?: string;
}

export interface ChatResult extends ResultBase {
  kind: 'chat';
  config: WorkloadConfig & { ratePerUser: number; durationSec: number; warmupSec: number; maxMessages: number };
  connect: ConnectSummary;
  joinMs: LatencySummary;
  /** Whole run, warm-up included: loss, duplicates and order apply to every message. */
  counts: DeliveryCounts;
  /** Measured part (after the warm-up). */
  ackMs: LatencySummary;
  e2eMs: LatencySummary;
  throughput: Throughput;
  timeline: TimelinePoint[];
  maxPacerLagMs: number;
  disconnects: number;
  persistence?: PersistenceCheck;
  /** CPU of the watched processes over the measured window (--watch-cpu). */
  cpu?: CpuReport;
  /** Load-generator processes the users were split over (absent: one). */
  workers?: number;
  /** Each worker's CPU and event-loop delay over the send window (with workers only). */
  loadgenWorkers?: SelfReport[];
}

export interface RampStep {
  targetPerSec: number;
  /** 1, or 2+ when the step was tried again after failing (--retries). */
  attempt: number;
  held: boolean;
  /** held, failed, or generator-limited: a limit missed while the load generator was saturated (absent in older results). */
  verdict?: StepVerdict;
  /** Why it did not hold. */
  reasons: string[];
  /** How the load generator was saturated during the step, if it was. */
  generatorSaturation?: string[];
  counts: DeliveryCounts;
  ackMs: LatencySummary;
  e2eMs: LatencySummary;
  throughput: Throughput;
  maxPacerLagMs: number;
  loadgenCpuPercent: number;
  /** The load generator's event-loop delay p99 during the step: high, and its timings (and pacing) lag with it. */
  loadgenEventLoopP99Ms?: number;
  /** Each load-generator process's CPU and event-loop delay p99 during the step. */
  loadgenProcesses?: GeneratorProcess[];
  loadAvg: [number, number, number];
  cpu?: CpuReport;
}

export interface RampResult extends ResultBase {
  kind: 'ramp';
  config: WorkloadConfig & { rates: number[]; stepSec: number; p99LimitMs: number; retries: number };
  connect: ConnectSummary;
  steps: RampStep[];
  /** The last step that held, if any. */
  highestHeld: { targetPerSec: number; ackedPerSec: number; deliveriesPerSec: number; e2eP99Ms: number } | null;
  /** The rate at which the ramp stopped because the load generator, not the system, was the limit. */
  generatorLimitedAt?: number;
  disconnects: number;
  workers?: number;
}

/** No clients at all: what the system costs at rest. */
export interface IdleResult extends ResultBase {
  kind: 'idle';
  config: { durationSec: number };
  cpu?: CpuReport;
}

export interface ConnectionsResult extends ResultBase {
  kind: 'connections';
  config: { connections: number; holdSec: number; concurrency: number };
  connect: ConnectSummary;
  rss?: {
    pid: number;
    beforeKiB: number;
    connectedKiB: number;
    afterHoldKiB: number;
    /** (afterHold − before) / connected. */
    perConnectionKiB: number;
    samplesKiB: number[];
  };
  disconnectsDuringHold: number;
  /** Live memory after a full GC, before and after connecting (--gc-probe). */
  afterGc?: {
    before: MemoryUsageSample;
    after: MemoryUsageSample;
    /** (heapUsed + external) growth per connection: what the sockets keep alive. */
    livePerConnectionKiB: number;
    /** RSS growth per connection measured after the GC. */
    rssPerConnectionKiB: number;
  };
  /** CPU while connecting (--watch-cpu). */
  cpu?: CpuReport;
}

export type LoadResult = ChatResult | RampResult | ConnectionsResult | IdleResult;

export interface MemoryUsageSample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}
