import { z } from 'zod';
import { MessageSchema } from './message';

/**
 * A slice of a room's history: what history:fetch answers, what the persister replies to a
 * page request and what its store reads. One shape, so that a page passes through unchanged.
 */
export const HistoryPageSchema = z.object({
  /** Ascending by offset. */
  messages: z.array(MessageSchema),
  /** Whether more messages exist beyond this page in the direction it was read. */
  hasMore: z.boolean(),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;
