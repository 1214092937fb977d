// `infra.sh up`, `status` and `down` on a fresh machine as root: empty .local, nothing installed;
// apt-get (stub) brings fakes of Java, Maven, Redis and PostgreSQL that listen on the ports, so
// every step of the real start path runs: install, fetch, format, initdb, start, probe, stop.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { alive, freePort, sandbox } from './sandbox.mjs';

let box;
let ports;
afterEach(() => {
  // Whatever a failed run left behind: down stops only what up recorded.
  if (box && ports) box.run([join(box.stack, 'infra.sh'), 'down'], { extraEnv: ports });
  box?.cleanup();
});

test('infra.sh up starts Kafka, Redis and PostgreSQL from nothing; down stops them', async () => {
  box = sandbox({ scripts: ['lib.sh', 'infra.sh'], withNode: true });
  box.fake('runuser');
  box.fake('chown');
  ports = {
    KAFKA_PORT: String(await freePort()), KAFKA_CONTROLLER_PORT: String(await freePort()),
    REDIS_PORT: String(await freePort()), PG_PORT: String(await freePort()),
  };
  const infra = (cmd) => box.run([join(box.stack, 'infra.sh'), cmd], { extraEnv: ports });

  const up = infra('up');
  assert.equal(up.status, 0, up.stderr);
  for (const line of ['kafka: ready', 'redis: ready', 'postgres: ready']) assert.match(up.stderr, new RegExp(line));
  const installs = box.calls().filter((c) => c.startsWith('apt-get install')).map((c) => c.split(' ').pop());
  assert.deepEqual(installs, ['default-jre-headless', 'maven', 'redis-server', 'redis-tools', 'postgresql']);
  assert.match(up.stdout, new RegExp(`postgres  postgres://chat:chat@127.0.0.1:${ports.PG_PORT}/chat`));
  assert.deepEqual(readdirSync(join(box.local, 'run')).filter((f) => f.endsWith('.pid')).sort(), ['kafka.pid', 'postgres.pid', 'redis.pid']);
  assert.equal(existsSync(join(box.local, 'kafka', 'data', 'meta.properties')), true);
  assert.equal(existsSync(join(box.local, 'postgres', 'PG_VERSION')), true);

  const status = infra('status');
  assert.equal(status.status, 0, status.stdout);
  assert.equal(status.stdout.match(/ up +started by infra\.sh, pid \d+/g)?.length, 3, status.stdout);
  const pids = [...status.stdout.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));

  const again = infra('up');
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /redis: already running/);

  const down = infra('down');
  assert.equal(down.status, 0, down.stderr);
  assert.deepEqual(pids.filter(alive), []);
  assert.equal(infra('status').status, 3);
});
