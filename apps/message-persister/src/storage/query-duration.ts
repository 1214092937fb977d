import { Histogram, processMetric } from '@chat/metrics';

/** The repositories' statements, by name: a bounded label set (never the SQL text). */
export type QueryName = 'insert_messages' | 'history_latest' | 'history_before' | 'history_after' | 'advance_read_positions' | 'read_state';

export const pgQueryDuration = processMetric(
  new Histogram({
    name: 'pg_query_duration_seconds',
    help: 'Seconds a PostgreSQL statement of the repositories took, pool wait included, by query and result (ok, error)',
    labelNames: ['query', 'result'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [],
  }),
);

/** Runs one statement and records how long it took, whether it succeeded or not. */
export async function timedQuery<T>(query: QueryName, run: () => Promise<T>): Promise<T> {
  const end = pgQueryDuration.startTimer({ query });
  try {
    const result = await run();
    end({ result: 'ok' });
    return result;
  } catch (error) {
    end({ result: 'error' });
    throw error;
  }
}
