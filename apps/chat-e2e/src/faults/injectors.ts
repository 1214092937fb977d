import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../support/client';
import { AppProcess } from '../support/app-process';
import { ChatStack } from '../support/stack';
import { infraUp, stackBash } from '../support/infra';

const ROOT = join(__dirname, '../../../..');

/** A fault: `inject` breaks something, `restore` undoes it as an operator or supervisor would. */
export interface Fault {
  name: string;
  inject(): Promise<void>;
  /** How long the thing stays broken before restore. */
  downForMs: number;
  restore(): Promise<void>;
}

/** The pid tools/stack/infra.sh recorded for a component it started (the one `npm test` runs). */
function infraPid(name: 'kafka' | 'redis' | 'postgres'): number {
  const line = readFileSync(join(ROOT, '.local/run', `${name}.pid`), 'utf8');
  const pid = Number(line.split(' ')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no pid in .local/run/${name}.pid: this suite needs the stack of tools/stack/infra.sh`);
  return pid;
}

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
  throw new Error(`process ${pid} did not exit`);
}

function killInfra(name: 'kafka' | 'redis', downForMs: number): Fault {
  return {
    name: `${name} SIGKILL ${downForMs / 1000} s`,
    downForMs,
    inject: async () => {
      const pid = infraPid(name);
      process.kill(pid, 'SIGKILL');
      await waitGone(pid);
    },
    restore: infraUp,
  };
}

function stopPostgres(downForMs: number): Fault {
  return {
    name: `postgres stop ${downForMs / 1000} s`,
    downForMs,
    inject: async () => {
      await stackBash('source tools/stack/lib.sh && stop_owned postgres INT');
    },
    restore: infraUp,
  };
}

/** An app crash; the restore is what `npm start`'s supervisor does: start it again. */
function killApp(label: string, app: AppProcess): Fault {
  return {
    name: `${label} SIGKILL`,
    downForMs: 1000,
    inject: async () => void (await app.kill()),
    restore: () => app.start(),
  };
}

export function faultsFor(stack: ChatStack): Record<string, Fault> {
  return {
    kafka: killInfra('kafka', 20_000),
    redis: killInfra('redis', 10_000),
    postgres: stopPostgres(10_000),
    gateway: killApp('gateway', stack.gatewayB),
    persister: killApp('persister (mid-batch)', stack.persister),
    presence: killApp('presence', stack.presence),
  };
}
