import { channelOf, deliveredFromPublication } from './centrifugo-adapter';

describe('Centrifugo publications as deliveries', () => {
  it('names a message by its channel offset and its sender by the publisher info', () => {
    const message = deliveredFromPublication({
      channel: channelOf('run-r3'),
      data: { clientMsgId: 'run-17', body: 'x' },
      offset: 42,
      info: { client: 'c1', user: 'run-u30' },
    });
    expect(message).toEqual({ messageId: 'chat:run-r3@42', roomId: 'run-r3', senderId: 'run-u30', clientMsgId: 'run-17', offset: 42 });
  });

  it('ignores publications the load generator did not send, or without an offset (history off)', () => {
    expect(deliveredFromPublication({ channel: 'chat:r', data: { hello: 1 }, offset: 1 })).toBeUndefined();
    expect(deliveredFromPublication({ channel: 'chat:r', data: null, offset: 1 })).toBeUndefined();
    expect(deliveredFromPublication({ channel: 'chat:r', data: { clientMsgId: 'run-1', body: '' } })).toBeUndefined();
  });

  it('leaves the sender empty when the server sent no publisher info (a mismatch for the accounting)', () => {
    expect(deliveredFromPublication({ channel: 'chat:r', data: { clientMsgId: 'run-1', body: '' }, offset: 1 })?.senderId).toBe('');
  });
});
