import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from './render';
import { Doc, group, REPO } from './repo-facts';

const observability = render('k8s/overlays/observability');
const prod = render('k8s/overlays/prod');
const rules = (): Doc[] => observability.filter((d) => d['kind'] === 'PrometheusRule').flatMap((r) => r['spec']['groups'].flatMap((g: Doc) => g['rules']));

/** Metric names registered with prom-client in apps/*\/src and libs/metrics (`name: 'x_total'`). */
function registeredMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/name: '([a-z_][a-z0-9_]*)'/g)) names.add(group(m, 1));
      }
    }
  };
  for (const app of readdirSync(join(REPO, 'apps'))) walk(join(REPO, 'apps', app, 'src'));
  walk(join(REPO, 'libs/metrics/src'));
  return names;
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset']);

/** The metric names of a PromQL expression: identifiers that are not functions, keywords, labels or strings. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map((m) => group(m, 1)).filter((w) => !PROMQL_WORDS.has(w) && !/^\d/.test(w));
}

/** Metrics the cluster's exporters provide: kube-state-metrics, Prometheus itself, the Kafka exporter. */
const EXTERNAL = [/^kube_/, /^up$/, /^kafka_consumergroup_lag$/];

describe('observability overlay', () => {
  it('metricNames reads the metrics of an expression, not its functions, labels or keywords', () => {
    expect(metricNames('sum by (le) (rate(a_bucket{x="y{z}"}[5m])) / on (job) b_total > 0')).toEqual(['a_bucket', 'b_total']);
  });

  it('every alert names a metric the code registers, a cluster exporter provides, or one listed as pending', () => {
    const registered = registeredMetrics();
    const known = (name: string) => registered.has(name) || registered.has(name.replace(/_(bucket|sum|count)$/, '')) || EXTERNAL.some((re) => re.test(name));
    for (const rule of rules()) {
      const pending = String(rule['annotations']?.['pending_metrics'] ?? '').split(/[\s,]+/).filter(Boolean);
      const names = metricNames(rule['expr']);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const ok = known(name) || pending.some((p) => name === p || name.replace(/_(bucket|sum|count)$/, '') === p);
        expect([rule['alert'], name, ok]).toEqual([rule['alert'], name, true]);
      }
      // A pending metric must really be missing from the code, or the note is stale.
      for (const name of pending) expect([rule['alert'], name, registered.has(name)]).toEqual([rule['alert'], name, false]);
      expect(rule['annotations']['description']).toMatch(/docs\/operations\.md#[a-z-]+/);
    }
  });

  it('alerts cover consumer lag, ack latency p99, error rates and pods not ready', () => {
    const exprs = rules().map((r) => r['expr'] as string).join('\n');
    expect(exprs).toMatch(/kafka_consumergroup_lag/);
    expect(exprs).toMatch(/histogram_quantile\(0\.99, .*gateway_ack_duration_seconds_bucket/);
    expect(exprs).toMatch(/persister_batch_failures_total/);
    expect(exprs).toMatch(/kube_pod_status_ready/);
  });

  it('every runbook link in the alerts is a heading of docs/operations.md', () => {
    const doc = readFileSync(join(REPO, 'docs/operations.md'), 'utf8');
    const anchors = new Set([...doc.matchAll(/^#+ (.+)$/gm)].map((m) => group(m, 1).toLowerCase().replace(/[^a-z0-9 -]/g, '').trim().replace(/ /g, '-')));
    for (const rule of rules()) {
      for (const m of String(rule['annotations']['description']).matchAll(/docs\/operations\.md#([a-z-]+)/g)) {
        const anchor = group(m, 1);
        expect([rule['alert'], anchor, anchors.has(anchor)]).toEqual([rule['alert'], anchor, true]);
      }
    }
  });

  it('the ServiceMonitor selects the backend Services of prod by their labels and scrapes their http port', () => {
    const monitor = observability.find((d) => d['kind'] === 'ServiceMonitor') as Doc;
    const { matchLabels, matchExpressions } = monitor['spec']['selector'];
    const selected = prod.filter((d) => d['kind'] === 'Service').filter((s) => {
      const labels = s['metadata']['labels'] ?? {};
      return Object.entries(matchLabels).every(([k, v]) => labels[k] === v) &&
        (matchExpressions as Doc[]).every((e) => e['values'].includes(labels[e['key']]));
    });
    expect(selected.map((s) => s['metadata']['name']).sort()).toEqual(['analytics', 'gateway', 'message-persister', 'presence']);
    for (const service of selected) expect(service['spec']['ports'].map((p: Doc) => p['name'])).toContain(monitor['spec']['endpoints'][0]['port']);
    const [firstProd] = prod;
    if (firstProd === undefined) throw new Error('k8s/overlays/prod renders nothing');
    expect(monitor['metadata']['namespace']).toBe(firstProd['metadata']['namespace']);
    // /metrics answers 401 without the token the services read from chat-secrets.
    const tokenRef = prod.find((d) => d['kind'] === 'Deployment' && d['metadata']['name'] === 'gateway')?.['spec']['template']['spec']['containers'][0]['env']
      .find((e: Doc) => e['name'] === 'METRICS_TOKEN')?.['valueFrom']['secretKeyRef'];
    expect(monitor['spec']['endpoints'][0]['authorization']).toEqual({ type: 'Bearer', credentials: { name: tokenRef['name'], key: tokenRef['key'] } });
  });
});
