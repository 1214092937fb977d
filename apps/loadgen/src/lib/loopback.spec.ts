import { assertLoopbackUrl, isLoopbackHost } from './loopback';

describe('loopback targets only', () => {
  it.each(['127.0.0.1', '127.1.2.3', '127.255.255.254', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1'])(
    'accepts %s',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );

  it.each(['10.0.0.1', '128.0.0.1', '0.0.0.0', '192.168.1.10', 'example.com', 'localhost.example.com', '127.0.0.1.nip.io', '::', '::2', '::ffff:10.0.0.1', '::ffff:a00:1', ''])(
    'refuses %s',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );

  it('parses loopback URLs and refuses the others with the reason', () => {
    expect(assertLoopbackUrl('http://127.0.0.1:3000').port).toBe('3000');
    expect(assertLoopbackUrl('http://[::1]:3000').hostname).toBe('[::1]');
    expect(assertLoopbackUrl('http://localhost:3000').hostname).toBe('localhost');
    expect(() => assertLoopbackUrl('http://10.1.2.3:3000')).toThrow(/non-loopback/);
    expect(() => assertLoopbackUrl('http://example.com')).toThrow(/non-loopback/);
    expect(() => assertLoopbackUrl('http://127.0.0.1@example.com/')).toThrow(/non-loopback/);
    expect(() => assertLoopbackUrl('ftp://127.0.0.1')).toThrow(/protocol/);
    expect(() => assertLoopbackUrl('not a url')).toThrow(/not a URL/);
  });

  it('checks database URLs with their own protocols', () => {
    expect(assertLoopbackUrl('postgres://chat:chat@127.0.0.1:5432/chat', ['postgres:']).hostname).toBe('127.0.0.1');
    expect(() => assertLoopbackUrl('postgres://chat:chat@db.internal:5432/chat', ['postgres:'])).toThrow(/non-loopback/);
  });
});
