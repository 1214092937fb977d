// ensure_centrifugo (centrifugo.sh): the benchmark's second peer, built once with go install on a
// fresh machine (no Go: from apt), then reused; a failed build stops with its log.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { sandbox } from './sandbox.mjs';

const SOURCES = { sources: ['lib.sh', 'centrifugo.sh'] };
const GO_INSTALL = 'go install -ldflags -X github.com/centrifugal/centrifugo/v6/internal/build.Version=6.9.1 github.com/centrifugal/centrifugo/v6@v6.9.1';
let box;
afterEach(() => box?.cleanup());

const centrifugoBox = () => sandbox({ scripts: ['lib.sh', 'centrifugo.sh'] });

test('fresh machine (no Go): installs Go with apt, builds centrifugo into .local/tools/bin once', () => {
  box = centrifugoBox();
  const r = box.bash('ensure_centrifugo; ensure_centrifugo; "$CENTRIFUGO_BIN"', SOURCES);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), ['apt-get install -y --no-install-recommends golang-go', GO_INSTALL]);
  assert.equal(r.stdout.trim(), 'fake centrifugo');
  assert.equal(readFileSync(join(box.local, 'tools', 'bin', 'centrifugo.version'), 'utf8').trim(), 'v6.9.1');
});

test('run alone (bash tools/stack/centrifugo.sh): builds into the repo\'s .local/tools/bin', () => {
  box = centrifugoBox();
  box.fake('go');
  const r = box.run(['tools/stack/centrifugo.sh']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), [GO_INSTALL]);
  assert.equal(readFileSync(join(box.local, 'tools', 'bin', 'centrifugo.version'), 'utf8').trim(), 'v6.9.1');
});

test('a build of another version is replaced by the pinned one', () => {
  box = centrifugoBox();
  box.fake('go');
  const first = box.bash('ensure_centrifugo', SOURCES);
  assert.equal(first.status, 0, first.stderr);
  writeFileSync(join(box.local, 'tools', 'bin', 'centrifugo.version'), 'v6.0.0\n');
  const r = box.bash('ensure_centrifugo', SOURCES);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), [GO_INSTALL, GO_INSTALL]);
  assert.equal(readFileSync(join(box.local, 'tools', 'bin', 'centrifugo.version'), 'utf8').trim(), 'v6.9.1');
});

test('a centrifugo on PATH is not taken for the pinned build', () => {
  box = centrifugoBox();
  box.fake('go');
  box.writeExecutable(join(box.bin, 'centrifugo'), '#!bash\necho other centrifugo\n');
  const r = box.bash('ensure_centrifugo; "$CENTRIFUGO_BIN"', SOURCES);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(box.calls(), [GO_INSTALL]);
  assert.equal(r.stdout.trim(), 'fake centrifugo');
});

test('a failed go install stops with its log and leaves no version stamp', () => {
  box = centrifugoBox();
  box.fake('go');
  const r = box.bash('ensure_centrifugo', { ...SOURCES, extraEnv: { STUB_GO_FAILS: '1' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ERROR: centrifugo-install: go install centrifugo v6\.9\.1 failed/);
  assert.match(r.stderr, /module lookup disabled/);
  assert.equal(existsSync(join(box.local, 'tools', 'bin', 'centrifugo.version')), false);
});
