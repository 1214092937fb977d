import { KafkaContext } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { HistoryRepliesTopic } from '@chat/contracts';
import type { BatchSource, DeadLetter } from '@chat/kafka';
import { HistoryServerKafka, unanswerable } from './history-server-kafka';

const ok = { kafka_correlationId: 'c-1', kafka_replyTopic: HistoryRepliesTopic.name };

describe('unanswerable', () => {
  it('accepts a request the server can answer', () => {
    expect(unanswerable(ok)).toBeNull();
    expect(unanswerable({ ...ok, kafka_replyPartition: '5' })).toBeNull();
    expect(unanswerable({ ...ok, kafka_replyTopic: Buffer.from(HistoryRepliesTopic.name) })).toBeNull();
  });

  it.each([
    ['no correlation id', { kafka_replyTopic: HistoryRepliesTopic.name }, /kafka_correlationId/],
    ['no reply topic', { kafka_correlationId: 'c-1' }, /kafka_replyTopic null/],
    ['a reply topic that is not the contract one', { ...ok, kafka_replyTopic: 'no-such-topic' }, /"no-such-topic" is not history.replies.v1/],
    ['a reply partition out of range', { ...ok, kafka_replyPartition: String(HistoryRepliesTopic.partitions) }, /kafka_replyPartition "6"/],
    ['a reply partition that is not a number', { ...ok, kafka_replyPartition: '1.5' }, /kafka_replyPartition/],
  ])('refuses a request with %s', (_label, headers, reason) => {
    expect(unanswerable(headers)).toMatch(reason);
  });
});

describe('HistoryServerKafka.sendMessage', () => {
  it('dead-letters the request when its reply keeps failing, instead of rejecting where nothing catches it', async () => {
    const letters: Array<{ letter: DeadLetter; from: BatchSource }> = [];
    const sink = { connect: async () => undefined, publish: async (batch: readonly DeadLetter[], from: BatchSource) => void letters.push(...batch.map((letter) => ({ letter, from }))) };
    const server = new HistoryServerKafka({ consumer: { groupId: 'history-g' }, postfixId: '' }, () => sink, pino({ level: 'silent' }));
    const send = jest.fn(() => Promise.reject(new Error('This server does not host this topic-partition')));
    Object.assign(server, { producer: { send } });
    const request: KafkaMessage = { key: Buffer.from('general'), value: Buffer.from('{"mode":"latest"}'), offset: '12', timestamp: '1', attributes: 0, headers: ok };
    const context = new KafkaContext([{ ...request, key: 'general' } as never, 2, 'history.requests.v1', {} as never, async () => undefined, {} as never]);
    await expect(server.sendMessage({ id: 'c-1', response: { ok: true } }, HistoryRepliesTopic.name, '3', 'c-1', context)).resolves.toEqual([]);
    expect(send).toHaveBeenCalledTimes(4);
    expect(letters).toEqual([
      {
        from: { topic: 'history.requests.v1', partition: 2, groupId: 'history-g' },
        letter: expect.objectContaining({ reason: 'failed', attempts: 4, error: expect.stringMatching(/reply could not be sent: This server does not host/) }),
      },
    ]);
    expect(letters[0].letter.source).toMatchObject({ key: Buffer.from('general'), value: request.value, offset: '12' });
  }, 10_000);
});
