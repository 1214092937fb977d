import { HistoryReplySchema } from '@chat/contracts';
import { message } from '../testing/fixtures';
import type { HistoryPage } from '../storage/history-page';
import { HistoryStore, okReply, parseHistoryRequest, queryHistory } from './history-query';

describe('parseHistoryRequest', () => {
  it('accepts the object Nest parsed from JSON', () => {
    expect(parseHistoryRequest({ mode: 'latest', roomId: 'lobby', limit: 50 })).toEqual({
      ok: true,
      request: { mode: 'latest', roomId: 'lobby', limit: 50 },
    });
  });

  it('accepts a JSON string and a Buffer', () => {
    const json = JSON.stringify({ mode: 'after', roomId: 'lobby', afterOffset: 3, limit: 10 });
    expect(parseHistoryRequest(json).ok).toBe(true);
    expect(parseHistoryRequest(Buffer.from(json)).ok).toBe(true);
  });

  it.each([
    ['a non-JSON string', 'hello', /not JSON/],
    ['no value', null, /no value/],
    ['an unknown mode', { mode: 'all', roomId: 'lobby', limit: 1 }, /mode/],
    ['a limit too large', { mode: 'latest', roomId: 'lobby', limit: 5000 }, /limit/],
    ['a bad room id', { mode: 'latest', roomId: 'Not A Room', limit: 1 }, /roomId/],
  ])('rejects %s with a reason', (_, data, reason) => {
    const parsed = parseHistoryRequest(data);
    expect(parsed).toEqual({ ok: false, error: expect.stringMatching(reason) });
  });
});

describe('queryHistory', () => {
  const page: HistoryPage = { messages: [], hasMore: false };
  const store: jest.Mocked<HistoryStore> = {
    latest: jest.fn().mockResolvedValue(page),
    before: jest.fn().mockResolvedValue(page),
    after: jest.fn().mockResolvedValue(page),
  };

  it('sends each mode to its query', async () => {
    await queryHistory(store, { mode: 'latest', roomId: 'r', limit: 5 });
    await queryHistory(store, { mode: 'before', roomId: 'r', beforeOffset: 9, limit: 5 });
    await queryHistory(store, { mode: 'after', roomId: 'r', afterOffset: 2, limit: 5 });
    expect(store.latest).toHaveBeenCalledWith('r', 5);
    expect(store.before).toHaveBeenCalledWith('r', 9, 5);
    expect(store.after).toHaveBeenCalledWith('r', 2, 5);
  });
});

describe('okReply', () => {
  it('builds a reply that satisfies the contract', () => {
    const reply = okReply({ messages: [message(1), message(2)], hasMore: true });
    expect(HistoryReplySchema.parse(reply)).toEqual(reply);
    expect(reply).toMatchObject({ ok: true, hasMore: true });
  });

  it('refuses to send stored rows that break the contract', () => {
    const broken = { ...message(1), roomId: 'NOT VALID' };
    expect(okReply({ messages: [broken], hasMore: false })).toEqual({ ok: false, error: expect.any(String), retryable: false });
  });
});
