import {
  ChatMessageRecord,
  ChatMessagesTopic,
  ChatSignalsTopic,
  HistoryRepliesTopic,
} from '@chat/contracts';
import type { Producer, ProducerRecord, RecordMetadata } from 'kafkajs';
import { produce } from './produce';

function fakeProducer(): { producer: Producer; sent: ProducerRecord[] } {
  const sent: ProducerRecord[] = [];
  const send = async (record: ProducerRecord): Promise<RecordMetadata[]> => {
    sent.push(record);
    return [
      { topicName: record.topic, partition: 0, errorCode: 0, baseOffset: '7' },
    ];
  };
  return { producer: { send } as unknown as Producer, sent };
}

const message: ChatMessageRecord = {
  messageId: '0190a3c4-7f00-7000-8000-000000000001',
  roomId: 'lobby',
  senderId: 'alice',
  body: 'hello',
  clientMsgId: 'c-1',
  sentAt: '2026-12-02T05:00:00.000Z',
};

describe('produce', () => {
  it("sends to the topic's name, keyed and encoded by the topic's own contract", async () => {
    const { producer, sent } = fakeProducer();
    const metadata = await produce(
      producer,
      ChatMessagesTopic,
      [message, { ...message, roomId: 'kitchen' }],
      { acks: -1 },
    );
    expect(metadata).toEqual([
      {
        topicName: 'chat.messages.v1',
        partition: 0,
        errorCode: 0,
        baseOffset: '7',
      },
    ]);
    expect(sent).toEqual([
      {
        topic: 'chat.messages.v1',
        acks: -1,
        messages: [
          { key: 'lobby', value: JSON.stringify(message) },
          {
            key: 'kitchen',
            value: JSON.stringify({ ...message, roomId: 'kitchen' }),
          },
        ],
      },
    ]);
  });

  it("leaves acks to the producer's default when not given", async () => {
    const { producer, sent } = fakeProducer();
    await produce(producer, ChatSignalsTopic, [
      {
        type: 'typing',
        roomId: 'lobby',
        userId: 'alice',
        typing: true,
        origin: { gatewayId: 'g-1', connectionId: 'c-1' },
      },
    ]);
    expect(sent[0]).not.toHaveProperty('acks');
  });

  it('sets the partition and headers the caller chooses for each payload', async () => {
    const { producer, sent } = fakeProducer();
    const replies = [
      { ok: false as const, error: 'bad', retryable: false },
      { ok: false as const, error: 'down', retryable: true },
    ];
    await produce(producer, HistoryRepliesTopic, replies, {
      routes: [
        { partition: 3, headers: { retryable: 'false' } },
        { partition: 4, headers: { retryable: 'true' } },
      ],
    });
    expect(sent[0]?.messages).toEqual([
      {
        key: null,
        value: JSON.stringify(replies[0]),
        partition: 3,
        headers: { retryable: 'false' },
      },
      {
        key: null,
        value: JSON.stringify(replies[1]),
        partition: 4,
        headers: { retryable: 'true' },
      },
    ]);
  });

  it('refuses routes that do not match the payloads one to one', async () => {
    const { producer, sent } = fakeProducer();
    await expect(
      produce(producer, ChatMessagesTopic, [message, message], {
        routes: [{ partition: 1 }],
      }),
    ).rejects.toThrow('1 routes for 2 payloads');
    expect(sent).toEqual([]);
  });

  it("does not compile with another topic's payload", async () => {
    const { producer, sent } = fakeProducer();
    const stopped = { type: 'gateway_stopped' as const, gatewayId: 'g-1', at: '2026-12-02T05:00:00.000Z' };
    // @ts-expect-error a presence event is not a chat message: the topic decides the payload type
    await expect(produce(producer, ChatMessagesTopic, [stopped])).rejects.toThrow();
    expect(sent).toEqual([]);
  });

  it('sends nothing when one payload breaks the contract', async () => {
    const { producer, sent } = fakeProducer();
    await expect(
      produce(producer, ChatMessagesTopic, [message, { ...message, body: '' }]),
    ).rejects.toThrow();
    expect(sent).toEqual([]);
  });

  it('sends nothing for no payloads', async () => {
    const { producer, sent } = fakeProducer();
    await expect(produce(producer, ChatMessagesTopic, [])).resolves.toEqual([]);
    expect(sent).toEqual([]);
  });
});
