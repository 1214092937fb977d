import { ALL_TOPICS, ChatMessagesTopic, ChatSignalsTopic, dlqName } from '@chat/contracts';
import { deadLetterTopic, toDeadLetterRecord } from './dead-letter';
import type { SourceRecord } from './source-record';

function rawRecord(value: string, offset: number): SourceRecord {
  return {
    key: Buffer.from('lobby'),
    value: Buffer.from(value),
    offset: String(offset),
    timestamp: '1735732800000',
    headers: { 'trace-id': Buffer.from('t-1') },
  };
}

describe('toDeadLetterRecord', () => {
  it('keeps the original key, value and headers and says what failed and where it came from', () => {
    const source = rawRecord('not json', 41);
    const record = toDeadLetterRecord(
      { source, error: 'record value is not JSON', reason: 'invalid' },
      { topic: 'chat.messages.v1', partition: 3, groupId: 'message-persister' },
      new Date('2026-12-02T01:00:00.000Z'),
    );
    expect(record.key).toBe(source.key);
    expect(record.value).toBe(source.value);
    expect(record.headers).toEqual({
      'trace-id': Buffer.from('t-1'),
      'kafka_dlt-exception-message': 'record value is not JSON',
      'kafka_dlt-reason': 'invalid',
      'kafka_dlt-original-topic': 'chat.messages.v1',
      'kafka_dlt-original-partition': '3',
      'kafka_dlt-original-offset': '41',
      'kafka_dlt-original-timestamp': '1735732800000',
      'kafka_dlt-original-consumer-group': 'message-persister',
      'kafka_dlt-exception-fqcn': 'ContractViolation',
      'kafka_dlt-attempts': '1',
      'kafka_dlt-failed-at': '2026-12-02T01:00:00.000Z',
    });
  });

  it('names the error type and the attempts of a record that kept failing', () => {
    const record = toDeadLetterRecord(
      { source: rawRecord('{}', 7), error: 'boom', reason: 'failed', errorType: 'TypeError', attempts: 5 },
      { topic: 't', partition: 0, groupId: 'g' },
    );
    expect(record.headers).toMatchObject({ 'kafka_dlt-reason': 'failed', 'kafka_dlt-exception-fqcn': 'TypeError', 'kafka_dlt-attempts': '5' });
  });

  it('bounds the error text so a huge validation report cannot make the record too large', () => {
    const record = toDeadLetterRecord(
      { source: rawRecord('x', 1), error: 'e'.repeat(100_000), reason: 'invalid' },
      { topic: 't', partition: 0, groupId: 'g' },
    );
    expect(String(record.headers?.['kafka_dlt-exception-message'])).toHaveLength(4000);
  });
});

describe('deadLetterTopic', () => {
  it('sends each source topic to its own DLQ, one the admin step creates', () => {
    const topics = ALL_TOPICS.map((topic) => topic.name);
    for (const source of [ChatMessagesTopic, ChatSignalsTopic]) {
      const dlq = deadLetterTopic({ topic: source.name, partition: 0, groupId: 'g' });
      expect(dlq).toBe(dlqName(source));
      expect(topics).toContain(dlq);
    }
  });
});
