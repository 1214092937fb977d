import type { Message } from '@chat/contracts';
import { LocalSendWindow } from './local-send-window';

const draft = (id: string) => ({ messageId: id, sentAt: '2026-01-01T00:00:00.000Z' });

describe('LocalSendWindow', () => {
  it('answers a retry with the first draft, and with the message once published', () => {
    const window = new LocalSendWindow(10, 60_000);
    expect(window.claim('k', draft('m1'))).toEqual({ kind: 'first', draft: draft('m1') });
    expect(window.claim('k', draft('m2'))).toEqual({ kind: 'retry', draft: draft('m1') });
    const message = { messageId: 'm1' } as Message;
    window.complete('k', message);
    expect(window.find('k')).toEqual({ kind: 'done', message });
  });

  it('forgets entries after their TTL', () => {
    let now = 0;
    const window = new LocalSendWindow(10, 1000, () => now);
    window.claim('k', draft('m1'));
    now = 999;
    expect(window.find('k')?.kind).toBe('retry');
    now = 1000;
    expect(window.find('k')).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the oldest first', () => {
    const window = new LocalSendWindow(3, 60_000);
    for (const key of ['a', 'b', 'c', 'd', 'e']) window.claim(key, draft(key));
    expect(window.size).toBe(3);
    expect(window.find('a')).toBeUndefined();
    expect(window.find('b')).toBeUndefined();
    expect(window.find('e')?.kind).toBe('retry');
  });

  it('does not record completions of keys it never claimed', () => {
    const window = new LocalSendWindow(3, 60_000);
    window.complete('k', { messageId: 'm' } as Message);
    expect(window.size).toBe(0);
  });
});
