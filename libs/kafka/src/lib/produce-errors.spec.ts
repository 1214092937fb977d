import type { Producer } from 'kafkajs';
import { reportProduceErrors } from './produce-errors';

function fakeProducer(fail: boolean): Producer {
  const answer = async () => {
    if (fail) throw new Error('KafkaJSNumberOfRetriesExceeded');
    return [];
  };
  return { send: jest.fn(answer), sendBatch: jest.fn(answer) } as unknown as Producer;
}

describe('reportProduceErrors', () => {
  it('reports the topic of a failed send and sendBatch, and still rejects', async () => {
    const topics: string[] = [];
    const producer = reportProduceErrors(fakeProducer(true), (topic) => topics.push(topic));
    await expect(producer.send({ topic: 'chat.messages.v1', messages: [] })).rejects.toThrow('Retries');
    await expect(
      producer.sendBatch({ topicMessages: [{ topic: 'a', messages: [] }, { topic: 'b', messages: [] }, { topic: 'a', messages: [] }] }),
    ).rejects.toThrow();
    expect(topics).toEqual(['chat.messages.v1', 'a', 'b']);
  });

  it('reports nothing for sends that succeed', async () => {
    const onError = jest.fn();
    const producer = reportProduceErrors(fakeProducer(false), onError);
    await producer.send({ topic: 't', messages: [] });
    expect(onError).not.toHaveBeenCalled();
  });
});
