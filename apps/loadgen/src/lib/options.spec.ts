import { LoadOptions, parseLoadOptions } from './options';

/** The modes that talk to a target (all but idle). */
function withTarget(o: LoadOptions): Exclude<LoadOptions, { mode: 'idle' }> {
  if (o.mode === 'idle') throw new Error('idle has no target');
  return o;
}

const base = ['--url', 'http://127.0.0.1:3000', '--secret', 's'];
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => withTarget(parseLoadOptions(argv, env, () => 'fixed'));

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
    const o = withTarget(parseLoadOptions(['chat', '--url', 'http://127.0.0.1:3000,http://localhost:3001', '--url', 'http://[::1]:3002'], { LOADGEN_JWT_SECRET: 'env' }));
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
  it('takes --workers and --scenario for chat and ramp, and idle needs no target', () => {
    expect(parse(['chat', ...base])).toMatchObject({ workers: 'auto', scenario: 'chat' });
    expect(parse(['ramp', ...base, '--workers', '2', '--scenario', 'lowload'])).toMatchObject({ workers: 2, scenario: 'lowload', generatorLagMs: 50 });
    expect(() => parse(['chat', ...base, '--workers', '0'])).toThrow(/--workers/);
    expect(() => parse(['connections', ...base, '--workers', '2'])).toThrow(/does not apply/);
    expect(parseLoadOptions(['idle', '--duration', '5', '--watch-cpu', 'kafka=12'], {}, () => 'fixed')).toMatchObject({ mode: 'idle', durationSec: 5, watchCpu: [{ name: 'kafka', pid: 12, tree: false }] });
    expect(() => parseLoadOptions(['idle', '--url', 'http://127.0.0.1:1'])).toThrow(/does not apply to idle/);
  });
});
