import { HistoryPage, HistoryReplySchema, ReadStateReplySchema } from '@chat/contracts';
import { message } from '../testing/fixtures';
import { HistoryPageStore, pageReply, parseHistoryRequest, queryHistory, ReadStateStore, readStateReply } from './history-query';

describe('parseHistoryRequest', () => {
  const json = (value: unknown) => JSON.stringify(value);

  it('accepts a valid request', () => {
    expect(parseHistoryRequest(json({ mode: 'latest', roomId: 'lobby', limit: 50 }))).toEqual({
      ok: true,
      request: { mode: 'latest', roomId: 'lobby', limit: 50 },
    });
  });

  it('accepts a JSON string and a Buffer', () => {
    const text = json({ mode: 'after', roomId: 'lobby', afterOffset: 3, limit: 10 });
    expect(parseHistoryRequest(text).ok).toBe(true);
    expect(parseHistoryRequest(Buffer.from(text)).ok).toBe(true);
  });

  it.each([
    ['a non-JSON string', 'hello', /not JSON/],
    ['no value', null, /no value/],
    ['an unknown mode', json({ mode: 'all', roomId: 'lobby', limit: 1 }), /mode/],
    ['a limit too large', json({ mode: 'latest', roomId: 'lobby', limit: 5000 }), /limit/],
    ['a bad room id', json({ mode: 'latest', roomId: 'Not A Room', limit: 1 }), /roomId/],
  ])('rejects %s with a reason', (_, data, reason) => {
    const parsed = parseHistoryRequest(data);
    expect(parsed).toEqual({ ok: false, error: expect.stringMatching(reason) });
  });
});

describe('parseHistoryRequest read-state', () => {
  it('accepts a read-state request and rejects one without a valid user', () => {
    const json = (value: unknown) => JSON.stringify(value);
    expect(parseHistoryRequest(json({ mode: 'read-state', roomId: 'lobby', userId: 'alice' }))).toEqual({
      ok: true,
      request: { mode: 'read-state', roomId: 'lobby', userId: 'alice' },
    });
    expect(parseHistoryRequest(json({ mode: 'read-state', roomId: 'lobby' }))).toEqual({ ok: false, error: expect.stringMatching(/userId/) });
    expect(parseHistoryRequest(json({ mode: 'read-state', roomId: 'lobby', userId: 'no spaces' }))).toEqual({
      ok: false,
      error: expect.stringMatching(/userId/),
    });
  });
});

describe('queryHistory', () => {
  const page: HistoryPage = { messages: [message(1), message(2)], hasMore: true };
  let stores: { messages: jest.Mocked<HistoryPageStore>; readPositions: jest.Mocked<ReadStateStore> };

  beforeEach(() => {
    stores = {
      messages: {
        latest: jest.fn().mockResolvedValue(page),
        before: jest.fn().mockResolvedValue(page),
        after: jest.fn().mockResolvedValue(page),
      },
      readPositions: { readState: jest.fn().mockResolvedValue({ readOffset: 7, unread: 3 }) },
    };
  });

  it('sends each page mode to its query and answers with the page', async () => {
    const replies = [
      await queryHistory(stores, { mode: 'latest', roomId: 'r', limit: 5 }),
      await queryHistory(stores, { mode: 'before', roomId: 'r', beforeOffset: 9, limit: 5 }),
      await queryHistory(stores, { mode: 'after', roomId: 'r', afterOffset: 2, limit: 5 }),
    ];
    expect(stores.messages.latest).toHaveBeenCalledWith('r', 5);
    expect(stores.messages.before).toHaveBeenCalledWith('r', 9, 5);
    expect(stores.messages.after).toHaveBeenCalledWith('r', 2, 5);
    for (const reply of replies) expect(reply).toEqual({ ok: true, ...page });
    expect(stores.readPositions.readState).not.toHaveBeenCalled();
  });

  it('answers read-state from the read positions with exactly the contract fields', async () => {
    const reply = await queryHistory(stores, { mode: 'read-state', roomId: 'r', userId: 'alice' });
    expect(stores.readPositions.readState).toHaveBeenCalledWith('r', 'alice');
    expect(reply).toStrictEqual({ ok: true, readOffset: 7, unread: 3 });
    expect(ReadStateReplySchema.parse(reply)).toEqual(reply);
  });

  it('answers readOffset null for a user who has read nothing', async () => {
    stores.readPositions.readState.mockResolvedValue({ readOffset: null, unread: 12 });
    expect(await queryHistory(stores, { mode: 'read-state', roomId: 'r', userId: 'bob' })).toStrictEqual({
      ok: true,
      readOffset: null,
      unread: 12,
    });
  });

  it('lets a store failure through, for the controller to answer retryable', async () => {
    stores.readPositions.readState.mockRejectedValue(new Error('connect ECONNREFUSED'));
    await expect(queryHistory(stores, { mode: 'read-state', roomId: 'r', userId: 'bob' })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('pageReply', () => {
  it('builds a reply that satisfies the contract', () => {
    const reply = pageReply({ messages: [message(1), message(2)], hasMore: true });
    expect(HistoryReplySchema.parse(reply)).toEqual(reply);
    expect(reply).toMatchObject({ ok: true, hasMore: true });
  });

  it('refuses to send stored rows that break the contract', () => {
    const broken = { ...message(1), roomId: 'NOT VALID' };
    expect(pageReply({ messages: [broken], hasMore: false })).toEqual({ ok: false, error: expect.any(String), retryable: false });
  });
});

describe('readStateReply', () => {
  it('refuses to send a read state that breaks the contract', () => {
    expect(readStateReply({ readOffset: -1, unread: 0 })).toEqual({ ok: false, error: expect.stringMatching(/read state/), retryable: false });
    expect(readStateReply({ readOffset: 3, unread: 1.5 })).toMatchObject({ ok: false });
  });
});
