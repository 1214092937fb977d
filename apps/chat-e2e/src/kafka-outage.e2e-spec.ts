import { ErrorCode, MessageSendResult } from '@chat/contracts';
import { sleep, uniqueRoom } from './support/client';
import { E2E } from './support/stack';
import { useChatStack } from './support/use-stack';
import { infraUp, stackBash } from './support/infra';

/** Stops the Kafka broker that tools/stack/infra.sh started (the one `npm test` runs). */
async function stopKafka(): Promise<void> {
  const out = await stackBash('source tools/stack/lib.sh && stop_owned kafka TERM 2>&1');
  if (!out.includes('kafka: stopped')) {
    throw new Error(`this test needs the Kafka broker started by tools/stack/infra.sh (as npm test runs it); got: ${out}`);
  }
}

describe('a Kafka outage (real broker stopped and restarted)', () => {
  const { connect } = useChatStack();

  it('answers sends with UNAVAILABLE within the ack timeout while Kafka is down, and recovers by itself', async () => {
    const room = uniqueRoom('e2e-outage');
    const alice = await connect(E2E.gatewayA, 'alice');
    await alice.ok('room:join', { roomId: room });
    await alice.ok('message:send', { roomId: room, clientMsgId: 'before', body: 'before' });

    await stopKafka();
    try {
      const started = Date.now();
      const ack = await alice.emit('message:send', { roomId: room, clientMsgId: 'during', body: 'during' });
      expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.UNAVAILABLE, retryable: true } });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(alice.socket.connected).toBe(true);
    } finally {
      await infraUp();
    }

    // The client retries the same clientMsgId, as the protocol tells it to, until it goes through.
    let delivered: MessageSendResult | undefined;
    for (let attempt = 0; attempt < 30 && !delivered; attempt++) {
      const ack = await alice.emit('message:send', { roomId: room, clientMsgId: 'during', body: 'during' });
      if (ack.ok) delivered = ack;
      else await sleep(1000);
    }
    expect(delivered?.message).toMatchObject({ clientMsgId: 'during', body: 'during' });
    await expect(alice.ok('message:send', { roomId: room, clientMsgId: 'after', body: 'after' })).resolves.toMatchObject({
      message: { clientMsgId: 'after' },
    });
  });
});
