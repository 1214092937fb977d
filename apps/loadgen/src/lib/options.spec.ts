import { parseLoadOptions } from './options';

const base = ['--url', 'http://127.0.0.1:3000', '--secret', 's'];
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseLoadOptions(argv, env, () => 'fixed');

describe('parseLoadOptions', () => {
  it('fills the chat defaults', () => {
    const o = parse(['chat', ...base]);
    expect(o).toMatchObject({
      mode: 'chat',
      urls: ['http://127.0.0.1:3000'],
      users: 1000,
      rooms: 100,
      members: 10,
      rate: 1,
      durationSec: 60,
      warmupSec: 0,
      runId: 'fixed',
      watchCpu: [],
    });
  });

  it('takes URLs repeated or comma-separated, and the secret from the environment', () => {
    const o = parseLoadOptions(['chat', '--url', 'http://127.0.0.1:3000,http://localhost:3001', '--url', 'http://[::1]:3002'], { LOADGEN_JWT_SECRET: 'env' });
    expect(o.urls).toEqual(['http://127.0.0.1:3000', 'http://localhost:3001', 'http://[::1]:3002']);
    expect(o.secret).toBe('env');
  });

  it('refuses non-loopback targets and databases', () => {
    expect(() => parse(['chat', '--url', 'http://10.0.0.5:3000', '--secret', 's'])).toThrow(/non-loopback/);
    expect(() => parse(['chat', ...base, '--verify-db', 'postgres://chat:chat@db:5432/chat'])).toThrow(/non-loopback/);
    expect(parse(['chat', ...base, '--verify-db', 'postgres://chat:chat@127.0.0.1:5432/chat'])).toMatchObject({ verifyDb: 'postgres://chat:chat@127.0.0.1:5432/chat' });
  });

  it('refuses bad or missing values with the flag named', () => {
    expect(() => parse(['chat', '--secret', 's'])).toThrow(/--url/);
    expect(() => parse(['chat', '--url', 'http://127.0.0.1:3000'])).toThrow(/--secret/);
    expect(() => parse(['chat', ...base, '--users', 'many'])).toThrow(/--users/);
    expect(() => parse(['chat', ...base, '--users', '1.5'])).toThrow(/integer/);
    expect(() => parse(['chat', ...base, '--members', '20', '--users', '10'])).toThrow(/--members/);
    expect(() => parse(['chat', ...base, '--duration', '5', '--warmup', '5'])).toThrow(/--warmup/);
    expect(() => parse(['chat', ...base, '--bogus', '1'])).toThrow();
    expect(() => parse(['chat', ...base, '--run-id', 'Bad_Id'])).toThrow(/--run-id/);
    expect(() => parse(['chat', '--url', 'http://127.0.0.1:3000/chat', '--secret', 's'])).toThrow(/without a path/);
    expect(() => parse(['fly', ...base])).toThrow(/unknown mode/);
  });

  it('keeps flags to the modes they apply to', () => {
    expect(() => parse(['chat', ...base, '--connections', '5'])).toThrow(/does not apply to chat/);
    expect(() => parse(['connections', ...base, '--rate', '5'])).toThrow(/does not apply to connections/);
    expect(() => parse(['ramp', ...base, '--duration', '5'])).toThrow(/does not apply to ramp/);
  });

  it('parses ramp rates, ascending only', () => {
    const o = parse(['ramp', ...base, '--rates', '100, 200,400', '--step-duration', '3', '--p99-limit-ms', '50']);
    expect(o).toMatchObject({ mode: 'ramp', rates: [100, 200, 400], stepSec: 3, p99LimitMs: 50 });
    expect(() => parse(['ramp', ...base, '--rates', '200,100'])).toThrow(/ascending/);
    expect(() => parse(['ramp', ...base, '--rates', '100,x'])).toThrow(/ascending/);
  });

  it('parses connections with exactly one URL and the watched pids', () => {
    const o = parse(['connections', ...base, '--connections', '500', '--watch-pid', '1234', '--watch-cpu', 'gw=1234,pg=99+']);
    expect(o).toMatchObject({ mode: 'connections', connections: 500, watchPid: 1234 });
    expect(o.watchCpu).toEqual([
      { name: 'gw', pid: 1234, tree: false },
      { name: 'pg', pid: 99, tree: true },
    ]);
    expect(() => parse(['connections', '--url', 'http://127.0.0.1:1,http://127.0.0.1:2', '--secret', 's'])).toThrow(/exactly one/);
    expect(() => parse(['connections', ...base, '--watch-cpu', 'gw:12'])).toThrow(/name=pid/);
  });
  it('speaks Socket.IO unless told --protocol centrifugo, and refuses other protocols', () => {
    expect(parse(['chat', ...base]).protocol).toBe('socketio');
    expect(parse(['ramp', ...base, '--protocol', 'centrifugo']).protocol).toBe('centrifugo');
    expect(parse(['connections', ...base, '--protocol', 'centrifugo']).protocol).toBe('centrifugo');
    expect(() => parse(['chat', ...base, '--protocol', 'mqtt'])).toThrow(/--protocol must be one of socketio, centrifugo/);
  });
});
