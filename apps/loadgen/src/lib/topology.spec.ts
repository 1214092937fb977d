import { buildTopology, urlForUser } from './topology';

describe('buildTopology', () => {
  it('puts N = R·M users in exactly one room each, M per room', () => {
    const t = buildTopology(1000, 100, 10);
    expect(t.rooms).toHaveLength(100);
    expect(t.rooms.every((r) => r.length === 10 && new Set(r).size === 10)).toBe(true);
    expect(t.memberships.every((m) => m.length === 1)).toBe(true);
    expect(t.sendOrder).toHaveLength(1000);
    expect(new Set(t.sendOrder).size).toBe(1000);
  });

  it('spreads every room over every gateway when users go round-robin', () => {
    const t = buildTopology(1000, 100, 10);
    const urls = ['a', 'b'];
    for (const room of t.rooms) expect(new Set(room.map((u) => urlForUser(urls, u)))).toEqual(new Set(urls));
  });

  it('takes turns across rooms: consecutive senders are in different rooms', () => {
    const t = buildTopology(1000, 100, 10);
    const roomOf = (u: number) => t.memberships[u]?.[0]?.room;
    const rooms = t.sendOrder.map(roomOf);
    expect(rooms).not.toContain(undefined);
    rooms.slice(1).forEach((room, i) => expect(room).not.toBe(rooms[i]));
  });

  it('records each user\'s member index in its rooms', () => {
    const t = buildTopology(30, 3, 10);
    t.rooms.forEach((members, room) => members.forEach((user, member) => expect(t.memberships[user]).toContainEqual({ room, member })));
  });

  it('puts users in several rooms when there are fewer than R·M, never twice in one', () => {
    const t = buildTopology(12, 5, 10);
    expect(t.rooms.every((r) => new Set(r).size === 10)).toBe(true);
    expect(t.memberships.reduce((n, m) => n + m.length, 0)).toBe(50);
    expect(t.sendOrder).toHaveLength(12);
  });

  it('leaves surplus users idle and refuses impossible shapes', () => {
    const t = buildTopology(25, 2, 10);
    expect(t.sendOrder).toHaveLength(20);
    expect(() => buildTopology(5, 1, 10)).toThrow(/at least 10 users/);
    expect(() => buildTopology(0, 1, 1)).toThrow();
  });
});
