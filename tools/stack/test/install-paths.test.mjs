// Every install path of lib.sh and node-deps.sh on a fresh machine: empty .local, and none of the
// optional tools on PATH, so a step that only works on a machine prepared by hand fails here.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { sandbox } from './sandbox.mjs';

const INSTALL = 'apt-get install -y --no-install-recommends';
let box;
afterEach(() => box?.cleanup());

test('require_cmd installs Chromium with apt-get when .local does not exist yet', () => {
  box = sandbox();
  assert.equal(existsSync(box.local), false);
  const r = box.bash('require_cmd chromium chromium && command -v chromium');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), join(box.bin, 'chromium'));
  assert.deepEqual(box.calls(), [`${INSTALL} chromium`]);
  assert.match(readFileSync(join(box.local, 'logs', 'apt.log'), 'utf8'), /Setting up chromium/);
});

test('apt_install runs apt-get update and retries when the package lists are empty', () => {
  box = sandbox();
  const r = box.bash('require_cmd redis-server redis-server', { extraEnv: { STUB_APT_NEEDS_UPDATE: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), [`${INSTALL} redis-server`, 'apt-get update', `${INSTALL} redis-server`]);
});

test('a failed install stops with the end of apt.log', () => {
  box = sandbox();
  const r = box.bash('require_cmd nosuch nosuch-package');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ERROR: apt: apt-get install nosuch-package failed/);
  assert.match(r.stderr, /Unable to locate package nosuch-package/);
});

test('not root: names the missing package and how to install it, without calling apt-get', () => {
  box = sandbox({ uid: 1000 });
  const r = box.bash('require_cmd chromium chromium');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /missing package\(s\): chromium\. Install with: sudo apt-get install -y chromium/);
  assert.deepEqual(box.calls(), []);
});

test('redis_up installs redis-server and redis-tools (redis-cli)', () => {
  box = sandbox();
  const r = box.bash('require_cmd redis-server redis-server; require_cmd redis-cli redis-tools; command -v redis-cli');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), [`${INSTALL} redis-server`, `${INSTALL} redis-tools`]);
});

test('kafka_fetch_libs installs Maven, fetches the jars into .local/kafka/libs once', () => {
  box = sandbox();
  const r = box.bash('kafka_fetch_libs && kafka_fetch_libs');
  assert.equal(r.status, 0, r.stderr);
  const calls = box.calls();
  assert.equal(calls[0], `${INSTALL} maven`);
  assert.equal(calls.filter((c) => c.startsWith('mvn ')).length, 1, calls.join('\n'));
  assert.deepEqual(readdirSync(join(box.local, 'kafka', 'libs')).sort(), ['.pom.sha256', 'kafka-fake.jar']);
  assert.equal(existsSync(join(box.local, 'logs', 'maven.log')), true);
});

test('kafka_fetch_libs with Maven already installed still makes .local/logs for maven.log', () => {
  box = sandbox();
  box.fake('mvn');
  const r = box.bash('kafka_fetch_libs');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls().filter((c) => c.startsWith('apt-get')), []);
  assert.match(readFileSync(join(box.local, 'logs', 'maven.log'), 'utf8'), /BUILD SUCCESS/);
});

test('require_java17 installs a JRE when java is missing', () => {
  box = sandbox();
  const r = box.bash('require_java17');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(box.calls()[0], `${INSTALL} default-jre-headless`);
});

test('require_java17 refuses a Java older than 17, naming it', () => {
  box = sandbox();
  box.fake('java');
  const r = box.bash('require_java17', { extraEnv: { STUB_JAVA_VERSION: '11' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Kafka 4 needs Java 17\+, found '11'/);
  assert.deepEqual(box.calls().filter((c) => c.startsWith('apt-get')), []);
});

test('require_postgres installs postgresql when no server is installed, and uses its binaries', () => {
  box = sandbox();
  const r = box.bash('require_postgres; echo "$PG_BIN"');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), [`${INSTALL} postgresql`]);
  assert.equal(r.stdout.trim(), join(box.env.PG_LIB_ROOT, '16', 'bin'));
});

test('require_postgres installs the version an existing cluster was made with', () => {
  box = sandbox();
  mkdirSync(join(box.local, 'postgres'), { recursive: true });
  writeFileSync(join(box.local, 'postgres', 'PG_VERSION'), '15\n');
  const r = box.bash('require_postgres; echo "$PG_BIN"');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), [`${INSTALL} postgresql-15`]);
  assert.equal(r.stdout.trim(), join(box.env.PG_LIB_ROOT, '15', 'bin'));
});

test('prepare_dirs creates .local with its run and logs folders', () => {
  box = sandbox();
  const r = box.bash('prepare_dirs');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(existsSync(join(box.local, 'run')) && existsSync(join(box.local, 'logs')), true);
});

test('ensure_node_deps runs npm ci on a fresh clone, and not again once installed', () => {
  box = sandbox({ withNode: true });
  box.fake('npm');
  const r = box.bash(`ensure_node_deps "${box.repo}"; ensure_node_deps "${box.repo}"`, { sources: ['lib.sh', 'node-deps.sh'] });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), ['npm ci --no-audit --no-fund --loglevel=error']);
});

test('http_ready needs no curl: false on a closed port', () => {
  box = sandbox();
  const r = box.bash('if http_ready 1; then echo ready; else echo not; fi');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'not');
});
