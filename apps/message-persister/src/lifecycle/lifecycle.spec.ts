import { Test } from '@nestjs/testing';
import pino from 'pino';
import { StartupProgress } from '@chat/bootstrap';
import { KAFKA } from '@chat/kafka';
import { LOGGER } from '@chat/logging';
import { PERSISTER_CONFIG } from '../config/persister.config';
import { DeadLetterPublisher } from '../consuming/dead-letter.publisher';
import { HistoryServer } from '../history/history.server';
import { IngestConsumer } from '../ingest/ingest.consumer';
import { ReceiptsConsumer } from '../receipts/receipts.consumer';
import { PG_POOL } from '../storage/pg-pool';
import { Lifecycle } from './lifecycle';

/** Fake components (unit test) that record when their stop began and ended. */
function recorder() {
  const events: string[] = [];
  const stoppable = (name: string, ms: number) => ({
    stop: async () => {
      events.push(`${name} stopping`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name} stopped`);
    },
  });
  return { events, stoppable };
}

describe('persister Lifecycle', () => {
  it('stops ingest and receipts (after their batches), then history, then the DLQ producer, then PostgreSQL', async () => {
    const { events, stoppable } = recorder();
    const module = await Test.createTestingModule({
      providers: [
        Lifecycle,
        StartupProgress,
        { provide: PERSISTER_CONFIG, useValue: {} },
        { provide: LOGGER, useValue: pino({ level: 'silent' }) },
        { provide: KAFKA, useValue: {} },
        { provide: PG_POOL, useValue: { end: stoppable('pool', 0).stop } },
        { provide: IngestConsumer, useValue: stoppable('ingest', 30) },
        { provide: ReceiptsConsumer, useValue: stoppable('receipts', 10) },
        { provide: HistoryServer, useValue: stoppable('history', 10) },
        { provide: DeadLetterPublisher, useValue: stoppable('dlq', 0) },
      ],
    }).compile();

    await module.close();

    expect(events).toEqual([
      'ingest stopping',
      'receipts stopping',
      'receipts stopped',
      'ingest stopped',
      'history stopping',
      'history stopped',
      'dlq stopping',
      'dlq stopped',
      'pool stopping',
      'pool stopped',
    ]);
  });
});
