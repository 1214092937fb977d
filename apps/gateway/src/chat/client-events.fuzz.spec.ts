import fc from 'fast-check';
import {
  Ack,
  ChatSignal,
  ChatSignalSchema,
  ClientEvent,
  ErrorCode,
  MAX_PAYLOAD_DEPTH,
  Message,
  MessageSendRequest,
  MessageSendSchema,
  ProtocolError,
  RoomIdSchema,
} from '@chat/contracts';
import type { Logger } from '@chat/logging';
import { HistoryService } from '../history/history.service';
import { EventRateLimiter, RateBuckets } from '../limits/event-rate-limiter';
import { RefusedPayload } from '../limits/refused-payload';
import { SendMessageService } from '../messaging/send-message.service';
import { OnlineMembersReader } from '../presence/online-members.reader';
import { PresenceReporter } from '../presence/presence-reporter';
import { SignalPublisher } from '../signals/signal-publisher';
import { SignalsService } from '../signals/signals.service';
import { answer } from './ack';
import { ChatService } from './chat.service';
import { ChatSession } from './chat-session';

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/** Every client event against the services, with fakes that record what got through validation. */
function harness(backendDown: boolean) {
  const reached = { sends: [] as MessageSendRequest[], rooms: [] as string[], signals: [] as ChatSignal[] };
  const down = () => new ProtocolError(ErrorCode.UNAVAILABLE, 'backend down');
  const message = (roomId: string): Message => ({ messageId: 'm', roomId, senderId: 'alice', body: 'b', clientMsgId: 'c', offset: 1, sentAt: new Date(0).toISOString() });
  const history = {
    page: async (roomId: string) => {
      reached.rooms.push(roomId);
      if (backendDown) throw down();
      return { messages: [message(roomId)], hasMore: false };
    },
    after: async (roomId: string) => {
      reached.rooms.push(roomId);
      if (backendDown) throw down();
      return [message(roomId)];
    },
    readState: async () => ({ readOffset: null, unread: 0 }),
  };
  const sender = {
    send: async (_userId: string, request: MessageSendRequest) => {
      reached.sends.push(request);
      if (backendDown) throw down();
      return message(request.roomId);
    },
  };
  const publisher = {
    publish: async (signal: ChatSignal) => {
      reached.signals.push(signal);
      if (backendDown) throw down();
    },
  };
  const logger = { warn: () => undefined, error: () => undefined } as unknown as Logger;
  const chat = new ChatService(
    history as unknown as HistoryService,
    sender as unknown as SendMessageService,
    { report: () => undefined } as unknown as PresenceReporter,
    { online: async () => [] } as unknown as OnlineMembersReader,
    logger,
    3,
  );
  const signals = new SignalsService('gw', publisher as unknown as SignalPublisher, logger, 60_000);
  const rooms = new Set<string>();
  const limits = { send: { ratePerSec: 1, burst: 6 }, events: { ratePerSec: 1, burst: 12 } };
  const session: ChatSession = {
    connectionId: 'c1',
    user: { id: 'alice' },
    limiter: new EventRateLimiter(new RateBuckets(limits, () => 0), new RateBuckets(limits, () => 0)),
    isIn: (r) => rooms.has(r),
    roomCount: () => rooms.size,
    join: (r) => void rooms.add(r),
    leave: (r) => void rooms.delete(r),
  };
  const handlers: Record<ClientEvent, (payload: unknown) => Promise<object>> = {
    'room:join': (p) => chat.join(session, p),
    'room:leave': (p) => chat.leave(session, p),
    'message:send': (p) => chat.send(session, p, Date.now() + 1000),
    'history:fetch': (p) => chat.fetchHistory(session, p),
    typing: (p) => signals.setTyping(session, p),
    'receipt:read': (p) => signals.markRead(session, p),
  };
  return { handlers, reached, signals };
}

/**
 * A payload too big for fast-check to print (its reporter recurses): generated as a recipe,
 * built inside the property.
 */
class Recipe {
  constructor(
    readonly kind: 'deep' | 'padded',
    readonly size: number,
  ) {}

  build(): unknown {
    if (this.kind === 'padded') return { roomId: 'general', clientMsgId: 'c', body: 'x', pad: 'é'.repeat(this.size) };
    let value: unknown = { roomId: 'general' };
    for (let i = 1; i < this.size; i++) value = i % 2 ? [value] : { roomId: value };
    return value;
  }

  [fc.toStringMethod](): string {
    return `${this.kind}(${this.size})`;
  }
}

const roomId = fc.oneof(
  fc.constantFrom('general', 'r1', 'r2', 'r3', 'r4', 'dm:alice:bob', 'dm:bob:carol', 'dm:bob:alice', 'Bad Room', ''),
  fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  fc.string({ maxLength: 80 }),
);
const offset = fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, -1), fc.string({ maxLength: 5 }));
const nearValid = fc.record(
  {
    roomId,
    sinceOffset: offset,
    beforeOffset: offset,
    limit: fc.oneof(fc.integer({ min: -5, max: 120 }), fc.double()),
    clientMsgId: fc.string({ maxLength: 140 }),
    body: fc.oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: 3990, maxLength: 4010 })),
    typing: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
    offset,
    extra: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: [] },
);
const payload = fc.oneof(
  { arbitrary: nearValid, weight: 6 },
  { arbitrary: fc.anything({ maxDepth: 4 }), weight: 2 },
  { arbitrary: fc.integer({ min: MAX_PAYLOAD_DEPTH - 1, max: 20_000 }).map((n) => new Recipe('deep', n)), weight: 1 },
  { arbitrary: fc.integer({ min: 30_000, max: 40_000 }).map((n) => new Recipe('padded', n)), weight: 1 },
  { arbitrary: fc.constantFrom(new RefusedPayload(ErrorCode.INVALID_PAYLOAD, 'binary'), new RefusedPayload(ErrorCode.PAYLOAD_TOO_LARGE, 'big')), weight: 1 },
);
const call = fc.tuple(fc.constantFrom(...Object.values(ClientEvent)), payload);

describe('client events, fuzzed (fast-check)', () => {
  it('end in an ok ack or a protocol error, and let only valid requests reach Kafka, Redis or the persister', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 25 }), fc.boolean(), async (calls, backendDown) => {
        const { handlers, reached, signals } = harness(backendDown);
        const unexpected: unknown[] = [];
        for (const [event, generated] of calls) {
          const body = generated instanceof Recipe ? generated.build() : generated;
          const ack: Ack<object> = await answer(() => handlers[event](body), 1000, (error) => unexpected.push(error));
          if (!ack.ok) {
            expect(KNOWN_CODES.has(ack.error.code)).toBe(true);
            expect(ack.error.code).not.toBe(ErrorCode.INTERNAL);
          }
        }
        signals.leftRoom('c1');
        expect(unexpected).toEqual([]);
        for (const request of reached.sends) expect(MessageSendSchema.safeParse(request).success).toBe(true);
        for (const room of reached.rooms) expect(RoomIdSchema.safeParse(room).success).toBe(true);
        for (const signal of reached.signals) expect(ChatSignalSchema.safeParse(signal).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
