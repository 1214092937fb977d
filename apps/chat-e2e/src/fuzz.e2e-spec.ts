import fc from 'fast-check';
import { Ack, ClientEvent, ErrorCode, Message, MessageSendResult } from '@chat/contracts';
import { expectEventually, TestClient, uniqueRoom } from './support/client';
import { RawChannel } from './support/raw-channel';
import { E2E } from './support/stack';
import { useChatStack } from './support/use-stack';

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));
const RUNS = 200;
const prefix = uniqueRoom('fuzz');
const ROOMS = ['a', 'b', 'c', 'd'].map((r) => `${prefix}-${r}`);

/** One step of a run: an event through socket.io-client, or a packet written raw. */
type Step =
  | { kind: 'emit'; event: string; payload: unknown }
  | { kind: 'raw'; args: string }
  | { kind: 'send-home'; clientMsgId: string; body: unknown }
  | { kind: 'stray'; frame: string | Buffer };

const roomId = fc.oneof(
  { arbitrary: fc.constantFrom(...ROOMS), weight: 6 },
  { arbitrary: fc.constantFrom('dm:alice:bob', 'dm:bob:alice', 'Bad Room', '', `${prefix}-${'x'.repeat(70)}`), weight: 1 },
  { arbitrary: fc.string({ maxLength: 70 }), weight: 1 },
);
const body = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 60 }), weight: 6 },
  { arbitrary: fc.string({ minLength: 1, maxLength: 30, unit: 'binary' }), weight: 1 },
  { arbitrary: fc.string({ minLength: 3995, maxLength: 4005 }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);
const offset = fc.oneof(fc.nat(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 4 }));
const payload = fc.oneof(
  { arbitrary: fc.record({ roomId }), weight: 3 },
  { arbitrary: fc.record({ roomId, clientMsgId: fc.string({ minLength: 1, maxLength: 12 }), body }), weight: 4 },
  {
    arbitrary: fc.record(
      { roomId, sinceOffset: offset, beforeOffset: offset, limit: fc.integer({ min: -2, max: 110 }), typing: fc.oneof(fc.boolean(), fc.string()), offset, extra: fc.jsonValue({ maxDepth: 2 }) },
      { requiredKeys: ['roomId'] },
    ),
    weight: 3,
  },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);
const eventName = fc.oneof({ arbitrary: fc.constantFrom(...Object.values(ClientEvent)), weight: 9 }, { arbitrary: fc.constantFrom('unknown:event', 'message'), weight: 1 });
const rawArgs = fc.oneof(
  fc.tuple(fc.constantFrom(...Object.values(ClientEvent)), fc.json({ maxDepth: 3 })).map(([e, json]) => `["${e}",${json}]`),
  fc.tuple(fc.constantFrom(...Object.values(ClientEvent)), fc.integer({ min: 15, max: 20_000 })).map(([e, n]) => `["${e}",${'['.repeat(n)}${']'.repeat(n)}]`),
  fc.constantFrom(...Object.values(ClientEvent)).map((e) => `["${e}",{"roomId":"${ROOMS[0]}","body":"${'y'.repeat(70_000)}"}]`),
  fc.constantFrom(...Object.values(ClientEvent)).map((e) => `["${e}"]`),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('emit' as const), event: eventName, payload }), weight: 8 },
  { arbitrary: fc.record({ kind: fc.constant('send-home' as const), clientMsgId: fc.string({ minLength: 1, maxLength: 12 }), body }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('raw' as const), args: rawArgs }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('stray' as const), frame: fc.constantFrom<string | Buffer>(Buffer.from([1, 2, 3]), '3/chat,5[{}]') }), weight: 1 },
);

function isClientEvent(event: string): event is ClientEvent {
  return (Object.values(ClientEvent) as string[]).includes(event);
}

describe('fuzz: hostile clients against the real gateways', () => {
  const { stack, connect } = useChatStack();

  it(`keeps every ack within the protocol over ${RUNS} runs, stays alive, and stores what it acks`, async () => {
    const acked: Message[] = [];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), fc.constantFrom(...ROOMS), fc.boolean(), async (steps, home, onB) => {
        const client = await connect(onB ? E2E.gatewayB : E2E.gatewayA, `fuzz-${run++}`);
        const raw = new RawChannel(client.socket);
        // Joined first, so that sends to it can succeed: what is acked must then be stored.
        const acks: Array<Promise<Ack<object>>> = [client.emit('room:join', { roomId: home })];
        for (const s of steps) {
          if (s.kind === 'stray') raw.frame(s.frame);
          else if (s.kind === 'send-home') acks.push(client.emitRaw('message:send', { roomId: home, clientMsgId: s.clientMsgId, body: s.body }));
          else if (s.kind === 'raw') acks.push(raw.event(s.args));
          else if (isClientEvent(s.event)) acks.push(client.emitRaw(s.event, s.payload));
          else client.wire.emit(s.event, s.payload); // no handler: nobody answers
        }
        for (const ack of await Promise.all(acks)) {
          if (ack.ok) {
            const message = (ack as unknown as MessageSendResult).message;
            if (message) acked.push(message);
            continue;
          }
          expect([ack.error.code, KNOWN_CODES.has(ack.error.code)]).toEqual([ack.error.code, true]);
          expect(ack.error.code).not.toBe(ErrorCode.INTERNAL);
        }
        expect(client.socket.connected).toBe(true);
        client.close();
        if (run % 50 === 0) await expectAlive();
      }),
      { numRuns: RUNS },
    );
    await expectAlive();
    expect(acked.length).toBeGreaterThan(0); // the storage check below is not vacuous

    const reader = await connect(E2E.gatewayB, 'fuzz-reader');
    for (const room of new Set(acked.map((m) => m.roomId))) {
      const expected = acked.filter((m) => m.roomId === room);
      await expectEventually(async () => {
        const stored = await readRoom(reader, room, Math.min(...expected.map((m) => m.offset)));
        for (const message of expected) expect(stored.get(message.messageId)).toEqual(message);
      }, 15_000);
    }
  });

  async function expectAlive(): Promise<void> {
    for (const gateway of [stack.gatewayA, stack.gatewayB]) expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  }
});

/** A room's messages from `fromOffset` on, as a join answers them (and the one at offset 0, which no sinceOffset reaches). */
async function readRoom(reader: TestClient, room: string, fromOffset: number): Promise<Map<string, Message>> {
  const joined = await reader.ok('room:join', { roomId: room, sinceOffset: Math.max(0, fromOffset - 1) });
  const first = fromOffset === 0 ? (await reader.ok('history:fetch', { roomId: room, beforeOffset: 1 })).messages : [];
  return new Map([...first, ...joined.messages].map((m) => [m.messageId, m]));
}
