import { ALL_TOPICS } from '@chat/contracts';
import { checkSubset } from './crd-subset';
import { validateWithModels } from './models';
import { render } from './render';
import { appFacts, Doc, SERVICES } from './repo-facts';

/** Every kustomization an operator applies (base and components are part of them). */
export const RENDERED = [
  'k8s/overlays/dev',
  'k8s/overlays/prod',
  'k8s/overlays/legacy-ingress-nginx',
  'k8s/overlays/observability',
  'k8s/examples/strimzi',
  'k8s/examples/cloudnative-pg',
] as const;

const rendered = new Map<string, Doc[]>(RENDERED.map((dir) => [dir, render(dir)]));
const docs = (dir: string): Doc[] => rendered.get(dir) ?? [];
const named = (dir: string, kind: string, name: string): Doc | undefined =>
  docs(dir).find((d) => d['kind'] === kind && d['metadata']['name'] === name);
const ofKind = (dir: string, kind: string): Doc[] => docs(dir).filter((d) => d['kind'] === kind);
const firstOfKind = (dir: string, kind: string): Doc => {
  const [first] = ofKind(dir, kind);
  if (first === undefined) throw new Error(`${dir} renders no ${kind}`);
  return first;
};
const APPS = ['k8s/overlays/dev', 'k8s/overlays/prod', 'k8s/overlays/legacy-ingress-nginx'];
const podSpec = (workload: Doc): Doc => workload['spec']['template']['spec'];
const envOf = (container: Doc, name: string): Doc | undefined => (container['env'] as Doc[] | undefined)?.find((e) => e['name'] === name);

describe('rendered kustomizations, validated against the Kubernetes and CRD schemas', () => {
  const all = [...rendered.entries()].flatMap(([dir, objects]) => objects.map((object) => ({ dir, object })));
  const results = validateWithModels(all.map((a) => a.object));

  it.each(RENDERED)('%s renders to objects', (dir) => {
    expect(docs(dir).length).toBeGreaterThan(0);
  });

  it('every object passes the schema of its package, or the documented subset of its operator CRD', () => {
    const failures = all.flatMap(({ dir, object }, i) => {
      const where = `${dir}: ${object['kind']} ${object['metadata']?.['name']}`;
      const result = results[i];
      if (result === undefined) return [`${where}: validate-models.mjs returned no result for it`];
      if (result.schema !== null) return result.error ? [`${where} (${result.schema}): ${result.error}`] : [];
      const subset = checkSubset(object);
      if (!subset) return [`${where}: no schema package and no documented subset for ${object['apiVersion']} ${object['kind']}`];
      return subset.problems.map((p) => `${where} (${subset.source}): ${p}`);
    });
    expect(failures).toEqual([]);
  });

  it('the validators can fail: a wrong type, a missing field, a bad Gateway API duration and a bad CRD field are caught', () => {
    const deployment = structuredClone(named('k8s/overlays/prod', 'Deployment', 'gateway') as Doc);
    deployment['spec']['replicas'] = 'two';
    const route = structuredClone(named('k8s/overlays/prod', 'HTTPRoute', 'chat') as Doc);
    route['spec']['rules'][0]['timeouts']['request'] = 'forever';
    const job = structuredClone(named('k8s/overlays/prod', 'Job', 'message-persister-migrate') as Doc);
    delete podSpec(job)['containers'];
    expect(validateWithModels([deployment, route, job]).map((result) => result.error)).toEqual([
      expect.stringMatching(/replicas must be integer/),
      expect.stringMatching(/timeouts\/request must match pattern/),
      expect.stringMatching(/must have required property 'containers'|must have required property containers/),
    ]);
    const topic = structuredClone(firstOfKind('k8s/examples/strimzi', 'KafkaTopic'));
    topic['spec']['partitions'] = '12';
    expect(checkSubset(topic)?.problems).toEqual(['spec.partitions: expected integer, got string']);
  });

  it.each(APPS)('%s: no Deployment an HPA scales sets replicas (an apply would reset the count)', (dir) => {
    for (const hpa of ofKind(dir, 'HorizontalPodAutoscaler')) {
      const target = named(dir, 'Deployment', hpa['spec']['scaleTargetRef']['name']);
      expect([hpa['metadata']['name'], target !== undefined, target?.['spec']['replicas']]).toEqual([hpa['metadata']['name'], true, undefined]);
    }
  });

  it.each(APPS)('%s: every Deployment spreads its own pods across zones and nodes', (dir) => {
    for (const deployment of ofKind(dir, 'Deployment')) {
      const constraints = (podSpec(deployment)['topologySpreadConstraints'] ?? []) as Doc[];
      expect([deployment['metadata']['name'], constraints.map((c) => c['topologyKey']).sort()])
        .toEqual([deployment['metadata']['name'], ['kubernetes.io/hostname', 'topology.kubernetes.io/zone']]);
      for (const c of constraints) expect(deployment['spec']['template']['metadata']['labels']).toMatchObject(c['labelSelector']['matchLabels']);
    }
  });

  it.each(APPS)('%s: migrations run once, as a Job with the persister image; the persister pods do not run them', (dir) => {
    const persister = podSpec(named(dir, 'Deployment', 'message-persister') as Doc)['containers'][0];
    expect(envOf(persister, 'MIGRATE_ON_START')?.['value']).toBe('false');
    expect(appFacts('message-persister').env.has('MIGRATE_ON_START')).toBe(true);
    const job = podSpec(named(dir, 'Job', 'message-persister-migrate') as Doc)['containers'][0];
    expect(job['image']).toBe(persister['image']);
    expect(job['command']).toEqual(['node', 'dist/main.js', 'migrate']);
    expect(envOf(job, 'DATABASE_URL')?.['valueFrom']).toEqual(envOf(persister, 'DATABASE_URL')?.['valueFrom']);
  });

  it.each(APPS)('%s: every Secret and ConfigMap key a pod reads exists in the render (or is the documented chat-secrets/chat-tls)', (dir) => {
    const external = dir === 'k8s/overlays/dev' ? [] : ['chat-secrets'];
    for (const workload of [...ofKind(dir, 'Deployment'), ...ofKind(dir, 'StatefulSet'), ...ofKind(dir, 'Job')]) {
      for (const container of podSpec(workload)['containers'] as Doc[]) {
        for (const e of (container['env'] ?? []) as Doc[]) {
          const ref = e['valueFrom']?.['secretKeyRef'] ?? e['valueFrom']?.['configMapKeyRef'];
          if (!ref || ref['optional'] || external.includes(ref['name'])) continue;
          const source = docs(dir).find((d) => ['Secret', 'ConfigMap'].includes(d['kind']) && d['metadata']['name'] === ref['name']);
          expect([workload['metadata']['name'], e['name'], ref['key'] in (source?.['data'] ?? {})]).toEqual([workload['metadata']['name'], e['name'], true]);
        }
      }
    }
  });
});

describe('operator examples', () => {
  it('live outside the platform namespace, whose deny-all NetworkPolicy would cut their own traffic', () => {
    const platform = new Set(docs('k8s/overlays/prod').map((d) => d['metadata']['namespace']));
    for (const dir of ['k8s/examples/strimzi', 'k8s/examples/cloudnative-pg']) {
      for (const d of docs(dir)) expect([dir, d['kind'], platform.has(d['metadata']['namespace'])]).toEqual([dir, d['kind'], false]);
    }
  });

  it.each(['k8s/overlays/prod', 'k8s/overlays/legacy-ingress-nginx'])('%s reaches Kafka as the Strimzi example serves it: TLS listener, its SASL mechanism, its user', (dir) => {
    const kafka = firstOfKind('k8s/examples/strimzi', 'Kafka');
    const tls = (kafka['spec']['kafka']['listeners'] as Doc[]).find((l) => l['tls'] === true) as Doc;
    const config = (named(dir, 'ConfigMap', 'platform-config') as Doc)['data'];
    expect(config['KAFKA_BROKERS']).toBe(`${kafka['metadata']['name']}-kafka-bootstrap.${kafka['metadata']['namespace']}.svc:${tls['port']}`);
    expect(config['KAFKA_TLS']).toBe('true');
    expect(config['KAFKA_SASL_MECHANISM']).toBe(tls['authentication']['type']);
    const user = ofKind('k8s/examples/strimzi', 'KafkaUser').find((u) => u['metadata']['name'] === config['KAFKA_SASL_USERNAME']);
    expect(user?.['spec']['authentication']['type']).toBe(tls['authentication']['type']);
  });
});

describe('public routing', () => {
  const prod = 'k8s/overlays/prod';
  const socketRule = (): Doc => (named(prod, 'HTTPRoute', 'chat') as Doc)['spec']['rules'].find((r: Doc) => r['matches'][0]['path']['value'] === '/socket.io');

  it('prod routes through a Gateway API HTTPRoute whose parents and backends exist with those ports', () => {
    expect(ofKind(prod, 'Ingress')).toEqual([]);
    for (const route of ofKind(prod, 'HTTPRoute')) {
      for (const parent of route['spec']['parentRefs'] as Doc[]) {
        const gateway = named(prod, 'Gateway', parent['name']);
        expect(gateway?.['spec']['listeners'].map((l: Doc) => l['name'])).toContain(parent['sectionName']);
      }
      for (const backend of (route['spec']['rules'] as Doc[]).flatMap((r) => (r['backendRefs'] ?? []) as Doc[])) {
        const service = named(prod, 'Service', backend['name']);
        expect([backend['name'], service?.['spec']['ports'].map((p: Doc) => p['port'])]).toEqual([backend['name'], [backend['port']]]);
      }
    }
    expect(socketRule()['backendRefs']).toEqual([{ name: 'gateway', port: appFacts('gateway').port }]);
  });

  it('the Gateway terminates TLS for the route’s host', () => {
    const https = (named(prod, 'Gateway', 'chat') as Doc)['spec']['listeners'].find((l: Doc) => l['protocol'] === 'HTTPS');
    expect(https['tls']['mode']).toBe('Terminate');
    expect(named(prod, 'HTTPRoute', 'chat')?.['spec']['hostnames']).toContain(https['hostname']);
  });

  it('long-lived websockets: no request timeout on /socket.io; polling sessions stick to one gateway by cookie', () => {
    expect(socketRule()['timeouts']).toEqual({ request: '0s', backendRequest: '0s' });
    expect(socketRule()['sessionPersistence']).toMatchObject({ type: 'Cookie' });
  });

  it('the legacy overlay keeps the ingress-nginx Ingress with cookie affinity and long timeouts', () => {
    const ingress = firstOfKind('k8s/overlays/legacy-ingress-nginx', 'Ingress');
    expect(ingress['metadata']['annotations']).toMatchObject({ 'nginx.ingress.kubernetes.io/affinity': 'cookie', 'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600' });
    const backends = ingress['spec']['rules'].flatMap((r: Doc) => r['http']['paths'].map((p: Doc) => p['backend']['service']['name']));
    expect(backends.sort()).toEqual(['gateway', 'web']);
  });
});

describe('dev overlay on a bare kind cluster', () => {
  const dev = 'k8s/overlays/dev';
  const config = (): Doc => (named(dev, 'ConfigMap', 'platform-config') as Doc)['data'];
  const serviceAt = (host: string, port: number) => named(dev, 'Service', host)?.['spec']['ports'].some((p: Doc) => p['port'] === port);

  it('needs no CRDs: only core Kubernetes kinds', () => {
    const groups = new Set(docs(dev).map((d) => String(d['apiVersion']).split('/').slice(0, -1).join('/')));
    expect([...groups].filter((g) => g.includes('.') && !g.endsWith('k8s.io')).sort()).toEqual([]);
    expect(ofKind(dev, 'Gateway').concat(ofKind(dev, 'HTTPRoute'), ofKind(dev, 'Ingress'))).toEqual([]);
  });

  it('Kafka (KRaft, apache/kafka), Redis and PostgreSQL run as StatefulSets with volumes', () => {
    for (const [name, image] of [['kafka', /^apache\/kafka:/], ['redis', /^redis:8\./], ['postgres', /^postgres:/]] as const) {
      const set = named(dev, 'StatefulSet', name) as Doc;
      expect(podSpec(set)['containers'][0]['image']).toMatch(image);
      expect(set['spec']['volumeClaimTemplates'][0]['spec']['resources']['requests']['storage']).toBeDefined();
      expect(podSpec(set)['containers'][0]['readinessProbe']).toBeDefined();
    }
    const kafkaEnv = podSpec(named(dev, 'StatefulSet', 'kafka') as Doc)['containers'][0];
    expect(envOf(kafkaEnv, 'KAFKA_PROCESS_ROLES')?.['value']).toBe('broker,controller');
  });

  it('platform-config, REDIS_URL and DATABASE_URL point at those Services and ports', () => {
    const [kafkaHost = '', kafkaPort] = String(config()['KAFKA_BROKERS']).split(':');
    expect(serviceAt(kafkaHost, Number(kafkaPort))).toBe(true);
    const secret = named(dev, 'Secret', (podSpec(named(dev, 'Deployment', 'message-persister') as Doc)['containers'][0]['env'] as Doc[])
      .find((e) => e['name'] === 'DATABASE_URL')?.['valueFrom']['secretKeyRef']['name']) as Doc;
    const fromSecret = (key: string) => Buffer.from(secret['data'][key], 'base64').toString();
    const redis = new URL(fromSecret('REDIS_URL'));
    expect(serviceAt(redis.hostname, Number(redis.port))).toBe(true);
    const db = new URL(fromSecret('DATABASE_URL'));
    expect(serviceAt(db.hostname, Number(db.port))).toBe(true);
    expect(Buffer.from(secret['data']['POSTGRES_PASSWORD'], 'base64').toString()).toBe(db.password);
    expect(Number(config()['KAFKA_REPLICATION_FACTOR'])).toBe(1);
  });

  it('the kafka-topics Job creates every topic of libs/contracts', () => {
    const script = podSpec(named(dev, 'Job', 'kafka-topics') as Doc)['containers'][0]['command'][2] as string;
    for (const topic of ALL_TOPICS) expect(script).toContain(`--topic ${topic.name} --partitions ${topic.partitions}`);
  });

  it('the base’s deny-all NetworkPolicy lets the services reach the dev infrastructure', () => {
    const allow = named(dev, 'NetworkPolicy', 'allow-infra-from-namespace') as Doc;
    expect(allow['spec']['podSelector']['matchExpressions'][0]['values'].sort()).toEqual(['kafka', 'postgres', 'redis']);
  });

  it.each(SERVICES)('%s runs one replica', (service) => {
    const deployment = named(dev, 'Deployment', service) as Doc;
    const hpa = named(dev, 'HorizontalPodAutoscaler', service);
    expect(hpa ? hpa['spec']['minReplicas'] : deployment['spec']['replicas']).toBe(1);
  });
});
