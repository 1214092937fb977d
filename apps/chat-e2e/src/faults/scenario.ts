import type { Pool } from 'pg';
import { sleep, uniqueRoom } from '../support/client';
import { AppProcess } from '../support/app-process';
import { ChatStack } from '../support/stack';
import { FaultClient } from './fault-client';
import type { Fault } from './injectors';
import { dropsByReason, FaultRow, refusalsByCode, sendsOkAgainAfterS, settleDeliveries, storedComparison } from './ledger';

export interface TrafficShape {
  users: number;
  roomSize: number;
  sendEveryMs: number;
  /** Traffic before the fault, and after everything is ready again. */
  beforeMs: number;
  afterMs: number;
  /** A client gives a send up after retrying it this long. */
  giveUpAfterMs: number;
}

const READY_DEADLINE_MS = 90_000;

async function isReady(app: AppProcess): Promise<boolean> {
  try {
    return (await fetch(`${app.url}/health/ready`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Seconds from `since` until every app answers ready; apps still not ready then are restarted by hand and counted. */
async function waitAllReady(apps: readonly AppProcess[], since: number): Promise<{ afterS: number; manualRestarts: number }> {
  for (;;) {
    const ready = await Promise.all(apps.map(isReady));
    if (ready.every(Boolean)) return { afterS: (Date.now() - since) / 1000, manualRestarts: 0 };
    if (Date.now() - since > READY_DEADLINE_MS) {
      const stuck = apps.filter((_, i) => !ready[i]);
      for (const app of stuck) {
        await app.stop();
        await app.start();
      }
      return { afterS: Number.POSITIVE_INFINITY, manualRestarts: stuck.length };
    }
    await sleep(250);
  }
}

/**
 * Chat traffic through both gateways (each room has members on both), one fault in the middle,
 * then the sentence checked from outside: every acked message stored once and at every member.
 */
export async function runFault(stack: ChatStack, fault: Fault, shape: TrafficShape, pool: Pool, tag: string): Promise<FaultRow> {
  const roomPrefix = uniqueRoom(`f-${tag}`);
  const clients = Array.from(
    { length: shape.users },
    (_, i) => new FaultClient(`f-${tag}-u${i}`, `${roomPrefix}-r${Math.floor(i / shape.roomSize)}`, (i % 2 === 0 ? stack.gatewayA : stack.gatewayB).port, shape.giveUpAfterMs),
  );
  try {
    for (let i = 0; i < clients.length; i += 50) await Promise.all(clients.slice(i, i + 50).map((c) => c.start()));
    // Spread the clients' send ticks over the interval instead of all at once.
    clients.forEach((c, i) => setTimeout(() => c.startSending(shape.sendEveryMs), (i * shape.sendEveryMs) / clients.length));
    await sleep(shape.beforeMs + shape.sendEveryMs);

    const faultAt = Date.now();
    await fault.inject();
    await sleep(fault.downForMs);
    await fault.restore();
    const ready = await waitAllReady([stack.gatewayA, stack.gatewayB, stack.persister, stack.presence], faultAt);
    await sleep(shape.afterMs);

    await Promise.all(clients.map((c) => c.stopSending()));
    const deliveries = await settleDeliveries(clients, 30_000);
    const acked = clients.flatMap((c) => c.acked);
    const stored = await storedComparison(pool, acked);
    return {
      fault: fault.name,
      acked: acked.length,
      ...stored,
      ...deliveries,
      refusals: refusalsByCode(clients, faultAt),
      socketDrops: dropsByReason(clients, faultAt),
      neverAcked: clients.reduce((n, c) => n + c.givenUp, 0),
      sendsOkAgainAfterS: sendsOkAgainAfterS(clients, faultAt),
      allReadyAfterS: ready.afterS,
      manualRestarts: ready.manualRestarts,
    };
  } finally {
    clients.forEach((c) => c.close());
  }
}
