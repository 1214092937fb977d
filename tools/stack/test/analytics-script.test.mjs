// `npm run analytics -- …` (analytics.sh): builds analytics, then runs its main.js with the
// arguments against the local infrastructure; the build and the app are fakes here.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { sandbox } from './sandbox.mjs';

let box;
afterEach(() => box?.cleanup());

// The built analytics: prints what it was started with.
const FAKE_MAIN = `process.stdout.write(JSON.stringify({ args: process.argv.slice(2), kafka: process.env.KAFKA_BROKERS, redis: process.env.REDIS_URL }));\n`;

function analyticsBox() {
  box = sandbox({ scripts: ['lib.sh', 'node-deps.sh', 'analytics.sh'], withNode: true, withNpm: true });
  mkdirSync(join(box.repo, 'dist', 'apps', 'analytics'), { recursive: true });
  writeFileSync(join(box.repo, 'dist', 'apps', 'analytics', 'main.js'), FAKE_MAIN);
}

test('npm run analytics -- rebuild --since 2h: builds analytics, then runs its main with the arguments, on the local Kafka and Redis', () => {
  analyticsBox();
  const r = box.run([join(box.stack, 'analytics.sh'), 'rebuild', '--since', '2h']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { args: ['rebuild', '--since', '2h'], kafka: '127.0.0.1:9092', redis: 'redis://127.0.0.1:6379' });
  assert.ok(box.calls().includes('npx nx build analytics --outputStyle=static'), box.calls().join('\n'));
});

test('npm run analytics: the connection settings of the environment win', () => {
  analyticsBox();
  const r = box.run([join(box.stack, 'analytics.sh'), 'rebuild', '--since', '1d'], { extraEnv: { KAFKA_BROKERS: 'k:9093', REDIS_URL: 'rediss://r:6380' } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { args: ['rebuild', '--since', '1d'], kafka: 'k:9093', redis: 'rediss://r:6380' });
});

test('npm run analytics without a command: the usage, exit 1, nothing built', () => {
  analyticsBox();
  const r = box.run([join(box.stack, 'analytics.sh')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /usage: npm run analytics -- rebuild --since <30m\|2h\|1d>/);
  assert.deepEqual(box.calls().filter((c) => c.startsWith('npx')), []);
});
