import { Pool } from 'pg';
import { E2E } from './support/stack';
import { useChatStack } from './support/use-stack';
import { faultsFor } from './faults/injectors';
import { FaultRow } from './faults/ledger';
import { publish } from './faults/report';
import { runFault, TrafficShape } from './faults/scenario';

/**
 * The fault suite: `npm run test:faults` runs every fault with 200 users; `npm test` (CI) the
 * short subset with fewer users. Each fault kills or stops a real process of the stack.
 */
const MODE = process.env['FAULTS'] === 'full' ? 'full' : 'short';
const FAULTS = MODE === 'full' ? ['kafka', 'redis', 'postgres', 'gateway', 'persister', 'presence'] : ['kafka', 'redis', 'gateway'];
const SHAPE: TrafficShape =
  MODE === 'full'
    ? { users: 200, roomSize: 10, sendEveryMs: 1000, beforeMs: 5000, afterMs: 10_000, giveUpAfterMs: 90_000 }
    : { users: 40, roomSize: 10, sendEveryMs: 1000, beforeMs: 3000, afterMs: 5000, giveUpAfterMs: 90_000 };

describe(`fault suite (${MODE}): acknowledged means stored once and delivered`, () => {
  const { stack } = useChatStack();
  const pool = new Pool({ connectionString: E2E.databaseUrl, max: 2 });
  const rows: FaultRow[] = [];
  // A query during the PostgreSQL stop must not crash the run: the pool reports, we retry.
  pool.on('error', () => undefined);

  afterAll(async () => {
    publish(MODE, `${SHAPE.users} users over both gateways, rooms of ${SHAPE.roomSize}, one send per ${SHAPE.sendEveryMs} ms each`, rows);
    await pool.end();
  });

  it.each(FAULTS)('%s', async (name) => {
    const fault = faultsFor(stack)[name];
    if (!fault) throw new Error(`no fault named ${name}`);
    const row = await runFault(stack, fault, SHAPE, pool, name.slice(0, 4));
    rows.push(row);
    expect(row.acked).toBeGreaterThan(0);
    expect({ ackedNotStored: row.ackedNotStored, missingDeliveries: row.missingDeliveries, manualRestarts: row.manualRestarts }).toEqual({
      ackedNotStored: 0,
      missingDeliveries: 0,
      manualRestarts: 0,
    });
    expect(row.neverAcked).toBe(0);
  }, 420_000);
});
