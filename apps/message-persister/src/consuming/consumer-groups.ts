/** The persister's durable consumer groups: their committed offsets are its progress. */
export interface ConsumerGroups {
  /** chat.messages.v1 → PostgreSQL and the recent-history cache. */
  ingest: string;
  /** chat.signals.v1 receipts → read positions in PostgreSQL. */
  receipts: string;
  /** history.requests.v1 → replies on history.replies.v1. */
  history: string;
}

export const DEFAULT_CONSUMER_GROUPS: ConsumerGroups = {
  ingest: 'message-persister',
  receipts: 'message-persister-receipts',
  history: 'message-persister-history',
};

/** Injection token; production uses the defaults, tests may isolate themselves with their own groups. */
export const CONSUMER_GROUPS = Symbol('CONSUMER_GROUPS');
