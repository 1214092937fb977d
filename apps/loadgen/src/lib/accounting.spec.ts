import { DeliveredMessage, DeliveryAccounting } from './accounting';
import { at } from './checked';

/** Two rooms: r0 = users 0,1,2 and r1 = users 3,4. */
function setup() {
  const rooms = [
    [0, 1, 2],
    [3, 4],
  ];
  const roomIds = ['run-r0', 'run-r1'] as const;
  const userIds = ['u0', 'u1', 'u2', 'u3', 'u4'] as const;
  const member = (user: number, room: number) => at(rooms, room).indexOf(user);
  const acc = new DeliveryAccounting('run', roomIds, rooms, member, userIds, 0);
  let offset = 0;
  /** Sends from `sender` in `room`, acks it with the next offset; returns the Message. */
  const sendAndAck = (room: number, sender: number, sentAt: number, ackAt = sentAt + 2): DeliveredMessage => {
    const clientMsgId = acc.recordSend(1, room, sender, sentAt);
    const message = { messageId: `m-${clientMsgId}`, roomId: at(roomIds, room), senderId: at(userIds, sender), clientMsgId, offset: offset++ };
    acc.recordAck(clientMsgId, ackAt, message);
    return message;
  };
  return { acc, rooms, roomIds, userIds, sendAndAck };
}

describe('DeliveryAccounting', () => {
  it('counts a clean run: every member got every acked message once, in order', () => {
    const { acc, rooms, sendAndAck } = setup();
    for (let i = 0; i < 10; i++) {
      const room = at(rooms, i % 2);
      const m = sendAndAck(i % 2, at(room, 0), i * 10);
      for (const user of room) acc.recordDelivery(user, m, i * 10 + 5);
    }
    const r = acc.report([1]);
    expect(r.counts).toMatchObject({ sent: 10, acked: 10, failed: 0, expected: 25, delivered: 25, lost: 0, duplicates: 0, orderViolations: 0, mismatches: 0, unexpected: 0 });
    expect(r.e2eMs.count).toBe(25);
    expect(r.e2eMs.p50).toBeCloseTo(5, 1);
    expect(r.ackMs.p99).toBeCloseTo(2, 1);
    expect(acc.pendingAcks()).toBe(0);
    expect(acc.outstandingDeliveries()).toBe(0);
  });

  it('counts loss per member that never got an acked message', () => {
    const { acc, sendAndAck } = setup();
    const m = sendAndAck(0, 0, 0);
    acc.recordDelivery(0, m, 1);
    expect(acc.outstandingDeliveries()).toBe(2);
    expect(acc.report([1]).counts).toMatchObject({ expected: 3, delivered: 1, lost: 2 });
  });

  it('counts a second delivery of the same messageId to a member as a duplicate, not as disorder', () => {
    const { acc, sendAndAck } = setup();
    const m = sendAndAck(1, 3, 0);
    acc.recordDelivery(4, m, 1);
    acc.recordDelivery(4, m, 2);
    acc.recordDelivery(3, m, 2);
    const c = acc.report([1]).counts;
    expect(c).toMatchObject({ delivered: 2, lost: 0, duplicates: 1, orderViolations: 0 });
  });

  it('counts an offset not above the last one a member saw in the room as an order violation', () => {
    const { acc, sendAndAck } = setup();
    const first = sendAndAck(0, 0, 0);
    const second = sendAndAck(0, 1, 1);
    acc.recordDelivery(2, second, 3);
    acc.recordDelivery(2, first, 4); // arrives after a higher offset
    acc.recordDelivery(1, first, 3);
    acc.recordDelivery(1, second, 4);
    expect(acc.report([1]).counts.orderViolations).toBe(1);
  });

  it('keeps order per room: offsets of different rooms do not interfere', () => {
    const { acc, sendAndAck } = setup();
    const a = sendAndAck(0, 0, 0); // offset 0
    const b = sendAndAck(1, 3, 0); // offset 1
    acc.recordDelivery(3, b, 1);
    acc.recordDelivery(0, a, 1);
    expect(acc.report([1]).counts.orderViolations).toBe(0);
  });

  it('takes a delivery that beats its ack, and flags an ack that disagrees with it', () => {
    const { acc, roomIds, userIds } = setup();
    const clientMsgId = acc.recordSend(1, 0, 0, 0);
    const delivered = { messageId: 'm1', roomId: roomIds[0], senderId: userIds[0], clientMsgId, offset: 7 };
    acc.recordDelivery(1, delivered, 1);
    acc.recordAck(clientMsgId, 2, { ...delivered, offset: 8 });
    const c = acc.report([1]).counts;
    expect(c.delivered).toBe(1);
    expect(c.mismatches).toBe(1);
  });

  it('flags deliveries with another messageId, sender or room, and foreign or misdirected ones', () => {
    const { acc, sendAndAck, roomIds } = setup();
    const m = sendAndAck(0, 0, 0);
    acc.recordDelivery(1, { ...m, messageId: 'other' }, 1);
    acc.recordDelivery(2, { ...m, senderId: 'someone' }, 1);
    acc.recordDelivery(3, m, 1); // user 3 is not in room 0
    acc.recordDelivery(0, { ...m, roomId: roomIds[1] }, 1);
    acc.recordDelivery(0, { ...m, clientMsgId: 'elsewhere-1' }, 1);
    acc.recordDelivery(0, { ...m, clientMsgId: 'run-x' }, 1);
    acc.recordDelivery(0, undefined as unknown as DeliveredMessage, 1);
    const c = acc.report([1]).counts;
    expect(c.mismatches).toBe(2);
    expect(c.unexpected).toBe(2);
    expect(acc.unexpectedOutsidePhases()).toBe(3);
  });

  it('counts failed sends by code, ignores late answers, and counts their deliveries apart', () => {
    const { acc, roomIds, userIds } = setup();
    const timedOut = acc.recordSend(1, 0, 0, 0);
    const limited = acc.recordSend(1, 0, 1, 0);
    acc.recordFailure(timedOut, { code: 'TIMEOUT' });
    acc.recordFailure(limited, { code: 'RATE_LIMITED' });
    acc.recordAck(timedOut, 10, { messageId: 'late', roomId: roomIds[0], offset: 0 }); // ignored: already failed
    acc.recordDelivery(2, { messageId: 'late', roomId: roomIds[0], senderId: userIds[0], clientMsgId: timedOut, offset: 0 }, 11);
    const c = acc.report([1]).counts;
    expect(c).toMatchObject({ sent: 2, acked: 0, failed: 2, expected: 0, lost: 0, deliveredUnacked: 1 });
    expect(c.failures).toEqual({ TIMEOUT: 1, RATE_LIMITED: 1 });
    expect(acc.pendingAcks()).toBe(0);
  });

  it('keeps warm-up sends out of the latencies but not out of loss, and reports phases apart', () => {
    const { acc, roomIds, userIds } = setup();
    const warm = acc.recordSend(0, 1, 3, 0, false);
    acc.recordAck(warm, 100, { messageId: 'w', roomId: roomIds[1], offset: 0 });
    acc.recordDelivery(3, { messageId: 'w', roomId: roomIds[1], senderId: userIds[3], clientMsgId: warm, offset: 0 }, 100);
    const hot = acc.recordSend(1, 1, 3, 1000);
    acc.recordAck(hot, 1001, { messageId: 'h', roomId: roomIds[1], offset: 1 });
    acc.recordDelivery(3, { messageId: 'h', roomId: roomIds[1], senderId: userIds[3], clientMsgId: hot, offset: 1 }, 1003);
    acc.recordDelivery(4, { messageId: 'h', roomId: roomIds[1], senderId: userIds[3], clientMsgId: hot, offset: 1 }, 1003);
    const all = acc.report([0, 1]);
    expect(all.counts).toMatchObject({ acked: 2, expected: 4, delivered: 3, lost: 1 });
    expect(all.e2eMs.count).toBe(2);
    expect(all.ackMs.count).toBe(1);
    expect(acc.report([1]).counts.lost).toBe(0);
    expect(acc.outstandingDeliveries(0)).toBe(1);
    expect(acc.ackedMessages()).toEqual([
      { messageId: 'w', roomId: roomIds[1], offset: 0 },
      { messageId: 'h', roomId: roomIds[1], offset: 1 },
    ]);
  });

  it('computes rates over the send window and a per-second timeline', () => {
    const { acc, rooms, sendAndAck } = setup();
    // 11 sends, 100 ms apart: a 1 s window, 10 intervals → 10 sends/s.
    for (let i = 0; i <= 10; i++) {
      const m = sendAndAck(0, 0, i * 100);
      for (const user of at(rooms, 0)) acc.recordDelivery(user, m, i * 100 + 1);
    }
    const r = acc.report([1]);
    expect(r.sendWindowMs).toBe(1000);
    expect(r.sentPerSec).toBeCloseTo(10, 5);
    expect(r.deliveriesPerSec).toBeCloseTo(30, 5);
    const timeline = acc.timeline();
    expect(timeline.map((p) => p.sent)).toEqual([10, 1]);
    expect(timeline[0]?.delivered).toBe(30);
    expect(timeline[0]?.e2eP99Ms).toBeCloseTo(1, 1);
  });
});
