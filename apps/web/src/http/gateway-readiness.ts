import { Gauge, Registry } from '@chat/metrics';

export interface ReadinessReport {
  ready: boolean;
  /** Each gateway origin and whether its /health/live answered 200. */
  gateways: Record<string, boolean>;
}

export interface Readiness {
  check(): Promise<ReadinessReport>;
}

/**
 * The web client is useless while no gateway it sends browsers to answers: ready when at least
 * one of them answers /health/live. Probes of every web replica come every few seconds, so one
 * result serves all probes within cacheMs rather than each probe fanning out to every gateway.
 */
export class GatewayReadiness implements Readiness {
  private last?: { at: number; report: Promise<ReadinessReport> };
  private readonly up: Gauge<'gateway'>;

  constructor(
    private readonly gateways: readonly string[],
    registry: Registry,
    private readonly timeoutMs = 2000,
    private readonly cacheMs = 1000,
  ) {
    this.up = new Gauge({
      name: 'web_gateway_up',
      help: 'Whether a gateway this web client points browsers to answered its last /health/live check (1) or not (0)',
      labelNames: ['gateway'],
      registers: [registry],
    });
  }

  check(): Promise<ReadinessReport> {
    if (this.last && Date.now() - this.last.at < this.cacheMs) return this.last.report;
    const report = this.probeAll();
    this.last = { at: Date.now(), report };
    return report;
  }

  private async probeAll(): Promise<ReadinessReport> {
    const results = await Promise.all(this.gateways.map(async (gateway) => [gateway, await this.probe(gateway)] as const));
    for (const [gateway, up] of results) this.up.set({ gateway }, up ? 1 : 0);
    return { ready: results.some(([, up]) => up), gateways: Object.fromEntries(results) };
  }

  private async probe(gateway: string): Promise<boolean> {
    try {
      const res = await fetch(`${gateway}/health/live`, { signal: AbortSignal.timeout(this.timeoutMs) });
      await res.body?.cancel();
      return res.status === 200;
    } catch {
      return false;
    }
  }
}
