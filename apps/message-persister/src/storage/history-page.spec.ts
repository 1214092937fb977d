import { message } from '../testing/fixtures';
import { toPage } from './history-page';

describe('toPage', () => {
  const newestFirst = [9, 8, 7, 6].map((offset) => message(offset));

  it('turns rows read newest-first into an ascending page and uses the extra row only for hasMore', () => {
    const page = toPage(newestFirst, 3, 'newest-first');
    expect(page.messages.map((m) => m.offset)).toEqual([7, 8, 9]);
    expect(page.hasMore).toBe(true);
  });

  it('reports no more when the rows fit the limit', () => {
    const page = toPage(newestFirst, 4, 'newest-first');
    expect(page.messages.map((m) => m.offset)).toEqual([6, 7, 8, 9]);
    expect(page.hasMore).toBe(false);
  });

  it('keeps oldest-first rows in order', () => {
    const page = toPage([3, 4, 5].map((offset) => message(offset)), 2, 'oldest-first');
    expect(page.messages.map((m) => m.offset)).toEqual([3, 4]);
    expect(page.hasMore).toBe(true);
  });

  it('does not mutate the rows it was given', () => {
    const rows = [2, 1].map((offset) => message(offset));
    toPage(rows, 5, 'newest-first');
    expect(rows.map((m) => m.offset)).toEqual([2, 1]);
  });

  it('handles an empty room', () => {
    expect(toPage([], 50, 'newest-first')).toEqual({ messages: [], hasMore: false });
  });
});
