import { FramePerTurn } from './frame-per-turn';

describe('FramePerTurn', () => {
  it('lets the microtasks a frame started finish before the next frame is handled', async () => {
    const turns: (() => void)[] = [];
    const queue = new FramePerTurn((run) => turns.push(run));
    const seen: string[] = [];
    // Like centrifuge: a frame's replies are emitted along a promise chain.
    queue.handler = ({ data }) => {
      const replies = String(data).split(',');
      void replies.reduce((p, reply) => p.then(() => void seen.push(reply)), Promise.resolve());
    };
    queue.push('1,2,3');
    queue.push('4,5');
    queue.push('6');
    expect(turns).toHaveLength(1);
    while (turns.length > 0) {
      turns.shift()?.();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(seen).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('drops nothing that arrives before a handler is set, and hands text as text', () => {
    const turns: (() => void)[] = [];
    const queue = new FramePerTurn((run) => turns.push(run));
    const seen: unknown[] = [];
    queue.push('a');
    queue.handler = ({ data }) => seen.push(data);
    turns.shift()?.();
    expect(seen).toEqual(['a']);
  });
});
