/** The persister's durable consumer groups: their committed offsets are its progress. */
export interface ConsumerGroups {
  /** chat.messages.v1 → PostgreSQL and the recent-history cache. */
  ingest: string;
  /** chat.signals.v1 receipts → read positions in PostgreSQL. */
  receipts: string;
}

export const DEFAULT_CONSUMER_GROUPS: ConsumerGroups = {
  ingest: 'message-persister',
  receipts: 'message-persister-receipts',
};

/** Injection token; production uses the defaults, tests may isolate themselves with their own groups. */
export const CONSUMER_GROUPS = Symbol('CONSUMER_GROUPS');
