import { PresenceKeys, PresenceValues } from './keys';
import { parseUser, serializeUser, UserPresence } from './user-presence';
import { WorkingSet } from './working-set';

const alice: UserPresence = { onlineAt: '2026-01-01T00:00:00.000Z', conns: { 'gw-1': { c1: ['general'] } }, linger: { dm: 5 } };

describe('presence:user values', () => {
  it('round-trip through the codec', () => {
    expect(parseUser(serializeUser(alice))).toEqual(alice);
    expect(PresenceValues.user.decode(JSON.stringify({ ...alice, closedAt: 'x', offlineAt: 9 }))).toEqual({
      ok: true,
      value: { ...alice, closedAt: 'x', offlineAt: 9 },
    });
  });

  it('decode to an error when they are not a UserPresence', () => {
    expect(PresenceValues.user.decode('{')).toMatchObject({ ok: false });
    expect(PresenceValues.user.decode(JSON.stringify({ ...alice, conns: { 'gw-1': { c1: 'general' } } }))).toMatchObject({ ok: false });
    expect(() => PresenceValues.user.encode({ ...alice, offlineAt: Number.NaN })).toThrow();
  });

  it('an invalid state counts as none, and the commit deletes it instead of failing on it forever', () => {
    expect(parseUser('{"onlineAt":1}')).toBeNull();
    const ws = new WorkingSet(PresenceKeys.outbox('g'));
    ws.addUser('alice', '{"onlineAt":1}');
    expect(ws.user('alice')).toBeNull();
    const { checks, ops } = ws.toCommit();
    expect(checks).toContainEqual(['get', PresenceKeys.user('alice'), '{"onlineAt":1}']);
    expect(ops).toContainEqual(['DEL', PresenceKeys.user('alice')]);
  });
});
