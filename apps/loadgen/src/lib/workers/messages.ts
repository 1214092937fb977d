import { EngineConfig, PhasePlan } from '../chat-engine';
import { ProtocolName } from '../protocol';
import { SelfReport } from '../self-probe';
import { WorkerEvent } from './events';

/**
 * What a worker needs to build its ChatEngine: the engine's config, with the adapter named (not
 * sent: functions do not cross processes), the deadline as time left (clocks of processes start
 * apart) and its partition spelled out.
 */
export type WorkerSetup = Omit<EngineConfig, 'deadline' | 'protocol' | 'partition'> & {
  /** Milliseconds from now after which the worker gives up (the run's --timeout). */
  remainingMs: number;
  protocol: ProtocolName;
  index: number;
  count: number;
};

/** A histogram as LatencyHistogram.encode() gives it: merged by adding bucket counts. */
export type EncodedHistogram = string;

export type ToWorker =
  | { type: 'setup'; setup: WorkerSetup }
  | { type: 'connect' }
  | { type: 'join' }
  | { type: 'send'; ratePerSec: number; durationMs: number; plan: PhasePlan; startAt: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'connected'; attempted: number; connected: number; failed: number; errors: Record<string, number>; wallMs: number; latency: EncodedHistogram }
  | { type: 'joined'; failures: string[]; latency: EncodedHistogram }
  | { type: 'events'; events: WorkerEvent[] }
  | { type: 'sent'; taken: number; maxLagMs: number; self: SelfReport }
  | { type: 'log'; line: string }
  | { type: 'disconnect' }
  | { type: 'closed' };
