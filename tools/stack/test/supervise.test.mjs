// tools/stack/supervise.sh with tiny fake apps: a dead app is restarted with backoff, the others
// keep running untouched, and a stop ends every child.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { alive, endChild, sandbox } from './sandbox.mjs';

let box;
let child;
afterEach(async () => {
  await endChild(child);
  box?.cleanup();
});

// Runs a supervisor over APPS ({ name: 'command' }) the way start.sh does; resolves helpers to
// read its console as it goes.
function supervise(apps, extraEnv = {}, beforeRun = ':') {
  box = sandbox({ scripts: ['lib.sh', 'supervise.sh'], withNode: true });
  const adds = Object.entries(apps).map(([name, cmd]) => `sup_add ${name} "$LOG" ${cmd}`).join('; ');
  const script = `set -euo pipefail; source tools/stack/lib.sh; source tools/stack/supervise.sh
    trap 'sup_stop; exit 0' INT TERM; ${adds}; ${beforeRun}; sup_run`;
  child = box.spawn(['-c', script], { extraEnv: { LOG: join(box.root, 'apps.log'), ...extraEnv } });
  let console = '';
  const waiters = [];
  child.stderr.on('data', (chunk) => {
    console += chunk;
    for (const w of [...waiters]) w();
  });
  // PATTERN: a regex to find, or a function of the console text returning a truthy value.
  const waitFor = (pattern, timeoutMs = 20_000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${console}`)), timeoutMs);
    const check = () => {
      const m = typeof pattern === 'function' ? pattern(console) : console.match(pattern);
      if (!m) return;
      clearTimeout(timer);
      waiters.splice(waiters.indexOf(check), 1);
      resolve(m);
    };
    waiters.push(check);
    check();
  });
  const started = (name) => [...console.matchAll(new RegExp(`started ${name} \\(pid (\\d+)\\)`, 'g'))].map((m) => Number(m[1]));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { waitFor, started, exited, text: () => console, log: join(box.root, 'apps.log') };
}

const sleeper = 'sleep 300';

test('a killed app is restarted; the others keep their pids; a stop ends all children', async () => {
  const s = supervise({ a: sleeper, b: sleeper, c: sleeper });
  await s.waitFor(/started c \(pid \d+\)/);
  const [a1] = s.started('a');
  const [b1] = s.started('b');
  const [c1] = s.started('c');
  process.kill(a1, 'SIGKILL');
  await s.waitFor(/a exited \(signal KILL\); restarting in 1 s/);
  await s.waitFor(/started a \(pid \d+\)[^]*started a \(pid \d+\)/);
  const [, a2] = s.started('a');
  assert.notEqual(a2, a1);
  assert.equal(alive(a2), true);
  assert.deepEqual([s.started('b'), s.started('c')], [[b1], [c1]]);
  assert.equal(alive(b1) && alive(c1), true);

  const t0 = Date.now();
  child.kill('SIGTERM');
  assert.deepEqual(await s.exited, { code: 0, signal: null });
  assert.ok(Date.now() - t0 < 5000, `stop took ${Date.now() - t0} ms`);
  assert.deepEqual([a2, b1, c1].filter(alive), []);
});

// What start.sh does while it waits for readiness: an app that exits meanwhile is reaped by bash,
// reported ("Killed") after the next foreground command and dropped from its job table, where
// `wait -n` no longer sees it.
test('an app that exits before the loop starts, while other commands run, is restarted too', async () => {
  const s = supervise({ early: 'sleep 0.2', other: sleeper }, {}, 'sleep 0.6; sleep 0.1');
  await s.waitFor(/early exited \(code 0\); restarting in 1 s/);
  await s.waitFor((text) => s.started('early').length === 2);
  child.kill('SIGTERM');
  assert.equal((await s.exited).code, 0);
});

test('backoff doubles up to the maximum for an app that keeps failing, and resets after a stable run', async () => {
  const s = supervise(
    // Uptime is counted in whole seconds: crash's is 0 or 1, steady's 2 or 3.
    { crash: 'bash -c "exit 3"', steady: 'bash -c "sleep 2.2; exit 0"' },
    { SUPERVISE_BACKOFF_MAX: '2', SUPERVISE_STABLE_SECS: '2' },
  );
  const delays = (name, code, count) => (text) => {
    const found = [...text.matchAll(new RegExp(`${name} exited \\(code ${code}\\); restarting in (\\d+) s`, 'g'))];
    return found.length >= count && found.slice(0, count).map((m) => m[1]);
  };
  assert.deepEqual(await s.waitFor(delays('crash', 3, 3), 20_000), ['1', '2', '2']);
  // Without the reset after a stable run, the second delay would be 2.
  assert.deepEqual(await s.waitFor(delays('steady', 0, 2), 20_000), ['1', '1']);
  child.kill('SIGINT');
  assert.equal((await s.exited).code, 0);
});

test('a stop SIGKILLs an app that ignores SIGTERM after SUPERVISE_STOP_TIMEOUT', async () => {
  const s = supervise(
    { stubborn: `node -e "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"` },
    { SUPERVISE_STOP_TIMEOUT: '1' },
  );
  const [pid] = (await s.waitFor(/started stubborn \(pid (\d+)\)/)).slice(1).map(Number);
  // 'up' in its log: node has installed the handler.
  while (!(existsSync(s.log) && readFileSync(s.log, 'utf8').includes('up'))) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGTERM');
  assert.equal((await s.exited).code, 0);
  assert.match(s.text(), /still running after 1s, sending SIGKILL/);
  assert.equal(alive(pid), false);
});
