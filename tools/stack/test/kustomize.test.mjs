// ensure_kustomize (kustomize.sh): tools/deploy-check renders k8s/ with kubectl (kustomize v5)
// or a kustomize; on a fresh machine with neither, npm test builds kustomize once with go install.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { sandbox } from './sandbox.mjs';

const SOURCES = { sources: ['lib.sh', 'kustomize.sh'] };
const GO_INSTALL = 'go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0';
let box;
afterEach(() => box?.cleanup());

const kustomizeBox = () => sandbox({ scripts: ['lib.sh', 'kustomize.sh'] });

test('kubectl with kustomize v5 on PATH: nothing installed', () => {
  box = kustomizeBox();
  box.fake('kubectl');
  const r = box.bash('ensure_kustomize', SOURCES);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), ['kubectl version --client']);
});

test('fresh machine (no kubectl, no Go): installs Go with apt, builds kustomize into .local/tools/bin once', () => {
  box = kustomizeBox();
  const r = box.bash('ensure_kustomize; ensure_kustomize; "$KUSTOMIZE_BIN"', SOURCES);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), ['apt-get install -y --no-install-recommends golang-go', GO_INSTALL]);
  assert.equal(r.stdout.trim(), 'fake kustomize');
  assert.equal(readFileSync(join(box.local, 'tools', 'bin', 'kustomize.version'), 'utf8').trim(), 'v5.5.0');
});

test('a kubectl whose kustomize is older than v5 (Debian 12 kubernetes-client 1.20) does not count', () => {
  box = kustomizeBox();
  box.fake('kubectl');
  box.fake('go');
  const r = box.bash('ensure_kustomize', { ...SOURCES, extraEnv: { STUB_KUSTOMIZE_VERSION: 'v2.0.3' } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), ['kubectl version --client', GO_INSTALL]);
  assert.equal(existsSync(join(box.local, 'tools', 'bin', 'kustomize')), true);
});

test('a failed go install stops with its log and leaves no version stamp', () => {
  box = kustomizeBox();
  box.fake('go');
  const r = box.bash('ensure_kustomize', { ...SOURCES, extraEnv: { STUB_GO_FAILS: '1' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ERROR: kustomize-install: go install kustomize v5\.5\.0 failed/);
  assert.match(r.stderr, /module lookup disabled/);
  assert.equal(existsSync(join(box.local, 'tools', 'bin', 'kustomize.version')), false);
});
