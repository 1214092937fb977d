import { Producer, ProducerRecord } from 'kafkajs';
import type { Logger } from '@chat/logging';
import { PresenceReporter } from './presence-reporter';

/** Fake producer (unit test) that can be made to fail. */
function fakeProducer() {
  const sent: ProducerRecord[] = [];
  let failures = 0;
  const producer = {
    connect: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
    send: jest.fn(async (record: ProducerRecord) => {
      if (failures > 0) {
        failures--;
        throw new Error('broker down');
      }
      sent.push(record);
      return [];
    }),
  };
  const events = () => sent.flatMap((r) => r.messages.map((m) => JSON.parse(String(m.value))));
  return { producer, sent, events, failNext: (n: number) => (failures = n) };
}

const logger = { warn: jest.fn() } as unknown as Logger;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PresenceReporter', () => {
  it('heartbeats once per gateway and batches connection events', async () => {
    const { producer, sent, events } = fakeProducer();
    const reporter = new PresenceReporter(producer as unknown as Producer, 'gw-1', logger, 60_000, 15_000);
    await reporter.start();
    for (let i = 0; i < 100; i++) reporter.report({ type: 'connection_opened', connectionId: `c${i}`, userId: `u${i}` });
    await flush();
    await flush();
    expect(events()[0]).toMatchObject({ type: 'gateway_heartbeat', gatewayId: 'gw-1', leaseMs: 15_000 });
    expect(events().filter((e) => e.type === 'connection_opened')).toHaveLength(100);
    expect(sent.length).toBeLessThanOrEqual(2);
    await reporter.stop(1000);
  });

  it('re-announces what is connected after an outage longer than the lease', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'queueMicrotask'] });
    const { producer, events, failNext } = fakeProducer();
    const reporter = new PresenceReporter(producer as unknown as Producer, 'gw-1', logger, 60_000, 2000);
    reporter.resyncFrom(() => [{ type: 'connection_opened', connectionId: 'c9', userId: 'zoe' }]);
    failNext(4); // about 4 s of failures: longer than the 2 s lease
    await reporter.start();
    await jest.advanceTimersByTimeAsync(6000);
    expect(events().map((e) => e.type)).toEqual(['gateway_heartbeat', 'connection_opened']);
    expect(events()[1]).toMatchObject({ userId: 'zoe', connectionId: 'c9', gatewayId: 'gw-1' });
    jest.useRealTimers();
    await reporter.stop(1000);
  });

  it('keeps events, in order, while Kafka fails, and says gateway_stopped on stop', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'queueMicrotask'] });
    const { producer, events, failNext } = fakeProducer();
    const reporter = new PresenceReporter(producer as unknown as Producer, 'gw-1', logger, 60_000, 15_000);
    failNext(2);
    await reporter.start();
    reporter.report({ type: 'connection_opened', connectionId: 'c1', userId: 'alice' });
    reporter.report({ type: 'connection_closed', connectionId: 'c1', userId: 'alice' });
    await jest.advanceTimersByTimeAsync(3000);
    expect(events().map((e) => e.type)).toEqual(['gateway_heartbeat', 'connection_opened', 'connection_closed']);
    jest.useRealTimers();
    await reporter.stop(1000);
    expect(events().at(-1)).toMatchObject({ type: 'gateway_stopped', gatewayId: 'gw-1' });
    expect(producer.disconnect).toHaveBeenCalled();
  });

  it('gives up what is left when Kafka fails while stopping, instead of waiting out the stop timeout', async () => {
    const { producer, sent, failNext } = fakeProducer();
    const reporter = new PresenceReporter(producer as unknown as Producer, 'gw-1', logger, 60_000, 15_000);
    failNext(1000);
    await reporter.start();
    const started = Date.now();
    await reporter.stop(20_000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sent).toEqual([]);
    expect(producer.disconnect).toHaveBeenCalled();
  });
});
