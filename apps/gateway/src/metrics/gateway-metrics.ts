import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, METRICS_REGISTRY, Registry } from '@chat/metrics';
import type { Ack } from '@chat/contracts';

/** The gateway's own series (more of them are listed in the analytics issue: sockets, fan-out, delay). */
@Injectable()
export class GatewayMetrics {
  /** From a client event's arrival to its ack: the latency a chat user feels, by outcome. */
  readonly ackDuration: Histogram<'event' | 'result'>;
  readonly connectedSockets: Gauge;
  readonly fanoutRecords: Counter<'topic'>;
  /** sentAt (the accepting gateway's clock) to the emit here: the end-to-end latency SLO. */
  readonly deliveryDelay: Histogram;
  /** Client events handled, by event name (only the protocol's: unknown names never reach a handler). */
  readonly eventsReceived: Counter<'event'>;
  /** Room broadcasts of server events (message:new, typing…): one per emit, whatever the number of sockets. */
  readonly eventsEmitted: Counter<'event'>;
  readonly produceErrors: Counter<'topic'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.connectedSockets = new Gauge({ name: 'gateway_connected_sockets', help: 'Authenticated Socket.IO connections on this gateway', registers });
    this.fanoutRecords = new Counter({
      name: 'gateway_fanout_records_total',
      help: 'Records consumed for fan-out, by topic (replays after a rejoin not counted)',
      labelNames: ['topic'],
      registers,
    });
    this.deliveryDelay = new Histogram({
      name: 'gateway_delivery_delay_seconds',
      help: 'Seconds from a message being accepted (sentAt) to its message:new emit on this gateway',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.eventsReceived = new Counter({
      name: 'gateway_events_received_total',
      help: 'Client events received by this gateway, by event',
      labelNames: ['event'],
      registers,
    });
    this.eventsEmitted = new Counter({
      name: 'gateway_events_emitted_total',
      help: 'Server events broadcast to rooms by this gateway, by event (one per broadcast)',
      labelNames: ['event'],
      registers,
    });
    this.produceErrors = new Counter({
      name: 'gateway_produce_errors_total',
      help: 'Kafka sends of this gateway that failed, by topic',
      labelNames: ['topic'],
      registers,
    });
    this.ackDuration = new Histogram({
      name: 'gateway_ack_duration_seconds',
      help: 'Seconds from a client event to its ack, by event and result (ok or the protocol error code)',
      labelNames: ['event', 'result'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }

  /** An observer for `answer()`: one sample per ack. */
  ackObserver(event: string): (ack: Ack<object>, seconds: number) => void {
    return (ack, seconds) => this.ackDuration.observe({ event, result: ack.ok ? 'ok' : ack.error.code }, seconds);
  }
}
