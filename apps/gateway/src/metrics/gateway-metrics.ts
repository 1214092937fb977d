import { Inject, Injectable } from '@nestjs/common';
import { Histogram, METRICS_REGISTRY, Registry } from '@chat/metrics';
import type { Ack } from '@chat/contracts';

/** The gateway's own series (more of them are listed in the analytics issue: sockets, fan-out, delay). */
@Injectable()
export class GatewayMetrics {
  /** From a client event's arrival to its ack: the latency a chat user feels, by outcome. */
  readonly ackDuration: Histogram<'event' | 'result'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
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
