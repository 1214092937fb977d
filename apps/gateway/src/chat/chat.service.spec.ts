import { ErrorCode, Message } from '@chat/contracts';
import type { Logger } from '@chat/logging';
import { HistoryService } from '../history/history.service';
import { OnlineMembersReader } from '../presence/online-members.reader';
import { PresenceReporter } from '../presence/presence-reporter';
import { SendMessageService } from '../messaging/send-message.service';
import { EventRateLimiter, RateBuckets } from '../limits/event-rate-limiter';
import { ChatService } from './chat.service';
import { ChatSession } from './chat-session';

function session(userId: string, burst = 40, eventBurst = 200): ChatSession & { rooms: Set<string> } {
  const rooms = new Set<string>();
  const limits = { send: { ratePerSec: 20, burst }, events: { ratePerSec: 50, burst: eventBurst } };
  return {
    rooms,
    connectionId: `conn-${userId}`,
    user: { id: userId },
    // A still clock: no token refills between the calls of a test, however slow the machine.
    limiter: new EventRateLimiter(new RateBuckets(limits, () => 0), new RateBuckets(limits, () => 0)),
    isIn: (r) => rooms.has(r),
    roomCount: () => rooms.size,
    join: (r) => void rooms.add(r),
    leave: (r) => void rooms.delete(r),
  };
}

/** Fakes (unit test) for history and sending. */
function setup(historyFails = false, maxRooms = 200) {
  const sent: Message = { messageId: 'm1', roomId: 'general', senderId: 'alice', body: 'hi', clientMsgId: 'c1', offset: 7, sentAt: new Date(0).toISOString() };
  const history = {
    page: jest.fn(async () => {
      if (historyFails) throw Object.assign(new Error('down'), { code: ErrorCode.UNAVAILABLE });
      return { messages: [sent], hasMore: false };
    }),
    after: jest.fn(async () => [sent]),
    readState: jest.fn(async () => ({ readOffset: 3, unread: 4 })),
  };
  const sender = { send: jest.fn(async () => sent) };
  const presence = { report: jest.fn() };
  const online = { online: jest.fn(async () => ['bob']) };
  const logger = { warn: jest.fn() };
  const chat = new ChatService(
    history as unknown as HistoryService,
    sender as unknown as SendMessageService,
    presence as unknown as PresenceReporter,
    online as unknown as OnlineMembersReader,
    logger as unknown as Logger,
    maxRooms,
  );
  return { chat, history, sender, sent, presence };
}

describe('ChatService', () => {
  it('joins a public room and answers the latest messages, who is online and the read state', async () => {
    const { chat, sent, presence } = setup();
    const alice = session('alice');
    await expect(chat.join(alice, { roomId: 'general' })).resolves.toEqual({
      roomId: 'general',
      online: ['bob', 'alice'],
      messages: [sent],
      readOffset: 3,
      unread: 4,
    });
    expect(alice.rooms.has('general')).toBe(true);
    expect(presence.report).toHaveBeenCalledWith({ type: 'room_joined', connectionId: 'conn-alice', userId: 'alice', roomId: 'general' });
  });

  it('tells presence of a room joined once, and of a room left', async () => {
    const { chat, presence } = setup();
    const alice = session('alice');
    await chat.join(alice, { roomId: 'general' });
    await chat.join(alice, { roomId: 'general' });
    await chat.leave(alice, { roomId: 'general' });
    expect(presence.report.mock.calls.map(([e]) => e.type)).toEqual(['room_joined', 'room_left']);
  });

  it('still answers a join when the read state is unavailable', async () => {
    const { chat, history } = setup();
    history.readState.mockRejectedValueOnce(new Error('persister down'));
    const join = await chat.join(session('alice'), { roomId: 'general' });
    expect(join).not.toHaveProperty('unread');
    expect(join.messages).toHaveLength(1);
  });

  it('recovers with sinceOffset through history.after', async () => {
    const { chat, history } = setup();
    await chat.join(session('alice'), { roomId: 'general', sinceOffset: 3 });
    expect(history.after).toHaveBeenCalledWith('general', 3, 1000);
  });

  it('keeps a third user out of a direct conversation', async () => {
    const { chat } = setup();
    const carol = session('carol');
    await expect(chat.join(carol, { roomId: 'dm:alice:bob' })).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(carol.rooms.size).toBe(0);
    await expect(chat.fetchHistory(carol, { roomId: 'dm:alice:bob' })).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
  });

  it('does not leave the socket in the room when the join fails', async () => {
    const { chat } = setup(true);
    const alice = session('alice');
    await expect(chat.join(alice, { roomId: 'general' })).rejects.toThrow();
    expect(alice.rooms.size).toBe(0);
  });

  it('refuses a send to a room not joined, and rate-limits beyond the burst', async () => {
    const { chat, sender } = setup();
    const alice = session('alice', 2);
    const send = { roomId: 'general', clientMsgId: 'c1', body: 'hi' };
    await expect(chat.send(alice, send, Date.now() + 1000)).rejects.toMatchObject({ code: ErrorCode.NOT_IN_ROOM });
    alice.join('general');
    await expect(chat.send(alice, send, Date.now() + 1000)).resolves.toMatchObject({ message: { offset: 7 } });
    await expect(chat.send(alice, send, Date.now() + 1000)).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
    expect(sender.send).toHaveBeenCalledTimes(1);
  });

  it('refuses a join beyond the room cap with TOO_MANY_ROOMS, but not a rejoin nor a join after a leave', async () => {
    const { chat } = setup(false, 2);
    const alice = session('alice');
    await chat.join(alice, { roomId: 'r1' });
    await chat.join(alice, { roomId: 'r2' });
    await expect(chat.join(alice, { roomId: 'r3' })).rejects.toMatchObject({ code: ErrorCode.TOO_MANY_ROOMS });
    expect(alice.rooms).toEqual(new Set(['r1', 'r2']));
    await expect(chat.join(alice, { roomId: 'r2' })).resolves.toMatchObject({ roomId: 'r2' });
    await chat.leave(alice, { roomId: 'r1' });
    await expect(chat.join(alice, { roomId: 'r3' })).resolves.toMatchObject({ roomId: 'r3' });
  });

  it.each([
    ['room:join', (chat: ChatService, s: ChatSession) => chat.join(s, { roomId: 'general' })],
    ['room:leave', (chat: ChatService, s: ChatSession) => chat.leave(s, { roomId: 'general' })],
    ['history:fetch', (chat: ChatService, s: ChatSession) => chat.fetchHistory(s, { roomId: 'general' })],
  ] as const)('rate-limits %s beyond the events burst, malformed or not', async (_event, call) => {
    const { chat } = setup();
    const alice = session('alice', 40, 3);
    await call(chat, alice);
    await expect(chat.join(alice, 'garbage')).rejects.toMatchObject({ code: ErrorCode.INVALID_PAYLOAD });
    await call(chat, alice);
    await expect(call(chat, alice)).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED, message: expect.stringContaining('connection') });
  });

  it.each([
    ['a body with U+0000', { body: 'a\u0000b' }],
    ['a body with a lone surrogate', { body: 'x\uD800' }],
    ['a clientMsgId with U+0000', { clientMsgId: 'c\u0000' }],
    ['a clientMsgId with a lone low surrogate', { clientMsgId: '\uDC00' }],
  ])('answers INVALID_PAYLOAD for %s before anything is sent', async (_label, change) => {
    const { chat, sender } = setup();
    const alice = session('alice');
    alice.join('general');
    const send = { roomId: 'general', clientMsgId: 'c1', body: 'hi', ...change };
    await expect(chat.send(alice, send, Date.now() + 1000)).rejects.toMatchObject({ code: ErrorCode.INVALID_PAYLOAD });
    expect(sender.send).not.toHaveBeenCalled();
  });

  it('sends astral, RTL and combining text unchanged', async () => {
    const { chat, sender } = setup();
    const alice = session('alice');
    alice.join('general');
    const body = '😀 שלום e\u0301 \uFFFF\uFEFF\r\n\u2028';
    await chat.send(alice, { roomId: 'general', clientMsgId: 'c😀', body }, Date.now() + 1000);
    expect(sender.send).toHaveBeenCalledWith('alice', { roomId: 'general', clientMsgId: 'c😀', body }, expect.any(Number));
  });

  it('answers INVALID_PAYLOAD for a room id with U+0000 on join, leave and history', async () => {
    const { chat, history } = setup();
    const alice = session('alice');
    for (const call of [chat.join(alice, { roomId: 'general\u0000' }), chat.leave(alice, { roomId: 'general\u0000' }), chat.fetchHistory(alice, { roomId: '\u0000' })]) {
      await expect(call).rejects.toMatchObject({ code: ErrorCode.INVALID_PAYLOAD });
    }
    expect(history.page).not.toHaveBeenCalled();
  });
});
