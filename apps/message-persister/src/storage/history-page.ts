import type { HistoryPage, Message } from '@chat/contracts';

/**
 * Shapes limit+1 rows read in `direction` order into a page: the extra row only proves that
 * more exist, and pages read newest-first are turned back to ascending.
 */
export function toPage(rows: readonly Message[], limit: number, direction: 'newest-first' | 'oldest-first'): HistoryPage {
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  return { messages: direction === 'newest-first' ? page.reverse() : page, hasMore };
}
