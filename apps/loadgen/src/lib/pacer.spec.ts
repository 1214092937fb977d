import { Pacer } from './pacer';

describe('Pacer', () => {
  it('makes rate × elapsed sends due, whatever the tick spacing', () => {
    const pacer = new Pacer(1000, 0);
    let sent = 0;
    for (let t = 0; t <= 1000; t += 7) sent += pacer.take(t);
    expect(sent).toBe(994); // the last tick was at 994 ms
    expect(sent + pacer.take(1000)).toBe(1000);
    expect(pacer.maxLagMs).toBe(0);
  });

  it('catches up in bounded batches and records the lag', () => {
    const pacer = new Pacer(1000, 0, 100);
    expect(pacer.take(500)).toBe(100);
    expect(pacer.maxLagMs).toBe(400);
    expect(pacer.take(500)).toBe(100);
    expect(pacer.taken).toBe(200);
  });

  it('honours a limit (the message bound) and says when the next send is due', () => {
    const pacer = new Pacer(10, 0);
    expect(pacer.take(1000, 3)).toBe(3);
    expect(pacer.msUntilNext(1000)).toBe(0);
    const idle = new Pacer(10, 0);
    expect(idle.take(50)).toBe(0);
    expect(idle.msUntilNext(50)).toBe(50);
  });

  it('refuses a non-positive rate', () => {
    expect(() => new Pacer(0, 0)).toThrow();
  });
});
