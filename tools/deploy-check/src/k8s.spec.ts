import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChatMessagesTopic, ChatSignalsTopic, OpsLogsTopic, PresenceChangesTopic } from '@chat/contracts';
import { appFacts, Doc, healthPaths, REPO, Service, SERVICES, yamlDoc, yamlDocs } from './repo-facts';

const BASE = 'k8s/base';
const OVERLAYS = [
  'k8s/overlays/dev', 'k8s/overlays/prod', 'k8s/overlays/legacy-ingress-nginx', 'k8s/overlays/observability',
  'k8s/components/gateway-api', 'k8s/components/gateway-api-session-affinity', 'k8s/components/ingress-nginx',
  'k8s/examples/strimzi', 'k8s/examples/cloudnative-pg',
];
const kustomization = (dir: string): Doc => yamlDoc(`${dir}/kustomization.yaml`);
const baseDocs = (): Doc[] => (kustomization(BASE)['resources'] as string[]).flatMap((file) => yamlDocs(`${BASE}/${file}`));
const ofKind = (kind: string): Doc[] => baseDocs().filter((d) => d['kind'] === kind);
const deployment = (service: Service): Doc => {
  const found = ofKind('Deployment').find((d) => d['metadata']['name'] === service);
  if (!found) throw new Error(`no Deployment ${service}`);
  return found;
};
const container = (service: Service): Doc => deployment(service)['spec']['template']['spec']['containers'][0];
const configMapKeys = (): string[] => Object.keys(ofKind('ConfigMap').find((d) => d['metadata']['name'] === 'platform-config')?.['data'] ?? {});

describe('k8s manifests (static)', () => {
  it('kustomizations point at files and folders that exist', () => {
    for (const dir of [BASE, ...OVERLAYS]) {
      const k = kustomization(dir);
      for (const resource of [...((k['resources'] ?? []) as string[]), ...((k['components'] ?? []) as string[])]) {
        expect([dir, resource, existsSync(join(REPO, dir, resource))]).toEqual([dir, resource, true]);
      }
    }
  });

  it('every document has apiVersion, kind and a name', () => {
    for (const doc of baseDocs()) {
      expect(typeof doc['apiVersion']).toBe('string');
      expect(typeof doc['kind']).toBe('string');
      expect(doc['metadata']?.['name']).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it.each(SERVICES)('%s: one Deployment whose selector matches its pods', (service) => {
    const spec = deployment(service)['spec'];
    expect(spec['template']['metadata']['labels']).toMatchObject(spec['selector']['matchLabels']);
    expect(container(service)['image']).toBe(`chat/${service}:latest`);
  });

  it.each(SERVICES)('%s: container port is the app’s own port, set explicitly', (service) => {
    const facts = appFacts(service);
    const c = container(service);
    expect(c['ports']).toEqual([{ name: 'http', containerPort: facts.port }]);
    expect(c['env'].find((e: Doc) => e['name'] === facts.portVar)?.['value']).toBe(String(facts.port));
  });

  it.each(SERVICES)('%s: every environment variable it is given is one its config reads', (service) => {
    const { env } = appFacts(service);
    const c = container(service);
    const given = (c['env'] as Doc[]).map((e) => e['name'] as string);
    if (c['envFrom']) given.push(...configMapKeys());
    for (const name of given) expect([service, name, env.has(name)]).toEqual([service, name, true]);
  });

  it.each(SERVICES)('%s: probes ask the real health paths on the named port', (service) => {
    const paths = healthPaths();
    const c = container(service);
    const probes = ['startupProbe', 'livenessProbe', 'readinessProbe'].filter((p) => c[p]);
    expect(c['livenessProbe']).toBeDefined();
    expect(c['readinessProbe']['httpGet']['path']).toBe('/health/ready');
    for (const probe of probes) {
      expect(paths.has(c[probe]['httpGet']['path'])).toBe(true);
      expect(c[probe]['httpGet']['port']).toBe('http');
    }
  });

  it.each(SERVICES)('%s: its Service routes to its pods and port; its PDB selects them', (service) => {
    const svc = ofKind('Service').find((d) => d['metadata']['name'] === service);
    expect(svc?.['spec']['selector']).toEqual(deployment(service)['spec']['selector']['matchLabels']);
    expect(svc?.['spec']['ports'][0]).toMatchObject({ port: appFacts(service).port, targetPort: 'http' });
    const pdb = ofKind('PodDisruptionBudget').find((d) => d['metadata']['name'] === service);
    expect(pdb?.['spec']['selector']).toEqual(deployment(service)['spec']['selector']);
  });

  it.each(SERVICES)('%s: non-root, read-only root filesystem, memory limit', (service) => {
    const pod = deployment(service)['spec']['template']['spec'];
    expect(pod['securityContext']['runAsNonRoot']).toBe(true);
    expect(container(service)['securityContext']).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(container(service)['resources']['limits']['memory']).toBeDefined();
  });

  it('the gateway gets its instance id from the pod name and time to drain before SIGKILL', () => {
    const c = container('gateway');
    const env = (name: string) => (c['env'] as Doc[]).find((e) => e['name'] === name);
    expect(env('GATEWAY_ID')?.['valueFrom']).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    const graceMs = Number(env('SHUTDOWN_GRACE_MS')?.['value']);
    const preStopSeconds = Number(c['lifecycle']['preStop']['exec']['command'][1]);
    // Drain: in-flight sends (≤ grace), then presence's goodbye (≤ grace), after the preStop pause.
    expect(deployment('gateway')['spec']['template']['spec']['terminationGracePeriodSeconds'] * 1000).toBeGreaterThan(2 * graceMs + preStopSeconds * 1000);
  });

  it('autoscalers point at Deployments that exist', () => {
    const names = ofKind('Deployment').map((d) => d['metadata']['name']);
    for (const hpa of ofKind('HorizontalPodAutoscaler')) expect(names).toContain(hpa['spec']['scaleTargetRef']['name']);
  });

  it('the consumers’ autoscalers stop at the partition count: a pod more would get no partition', () => {
    const maxOf = (name: string) => ofKind('HorizontalPodAutoscaler').find((h) => h['metadata']['name'] === name)?.['spec']['maxReplicas'];
    expect(maxOf('message-persister')).toBe(ChatMessagesTopic.partitions);
    // Analytics: one group per topic it reads (apps/analytics ANALYTICS_TOPICS); the widest bounds it.
    const analyticsTopics = [ChatMessagesTopic, ChatSignalsTopic, PresenceChangesTopic, OpsLogsTopic];
    expect(maxOf('analytics')).toBe(Math.max(...analyticsTopics.map((t) => t.partitions)));
  });

  it('the dev overlay generates every secret key the Deployments read, and patches the web env it means to', () => {
    const dev = kustomization('k8s/overlays/dev');
    const literals = (dev['secretGenerator'][0]['literals'] as string[]).map((l) => l.split('=')[0]);
    const refs = ofKind('Deployment').flatMap((d) =>
      (d['spec']['template']['spec']['containers'][0]['env'] as Doc[])
        .map((e) => e['valueFrom']?.['secretKeyRef'])
        .filter((ref) => ref && !ref['optional'])
        .map((ref) => ref['key']),
    );
    for (const key of refs) expect(literals).toContain(key);
    const webEnv = (container('web')['env'] as Doc[]).map((e) => e['name']);
    const webPatch = (dev['patches'] as Doc[]).find((p) => p['target']['name'] === 'web')?.['patch'] as string;
    const indexes = [...webPatch.matchAll(/env\/(\d+)\/value/g)].map((m) => webEnv[Number(m[1])]);
    expect(indexes).toEqual(['WEB_GATEWAY_URLS', 'WEB_DEV_TOKENS']);
  });

  it.each(SERVICES)('%s: listens on every interface of the pod (the apps default to loopback)', (service) => {
    const c = container(service);
    const fromEnv = (c['env'] as Doc[]).find((e) => e['name'] === 'LISTEN_HOST')?.['value'];
    const fromConfigMap = c['envFrom'] ? ofKind('ConfigMap').find((d) => d['metadata']['name'] === 'platform-config')?.['data']['LISTEN_HOST'] : undefined;
    expect([service, fromEnv ?? fromConfigMap]).toEqual([service, '0.0.0.0']);
  });

  it.each(['gateway', 'message-persister', 'presence', 'analytics'] as const)('%s: /metrics is protected by METRICS_TOKEN from the secret', (service) => {
    const token = (container(service)['env'] as Doc[]).find((e) => e['name'] === 'METRICS_TOKEN');
    expect(token?.['valueFrom']?.['secretKeyRef']).toMatchObject({ name: 'chat-secrets', key: 'METRICS_TOKEN' });
  });

  it('the gateway accepts browsers from the public host only, in the base and as the dev overlay patches it', () => {
    const env = (container('gateway')['env'] as Doc[]).map((e) => e['name']);
    const origins = (container('gateway')['env'] as Doc[]).find((e) => e['name'] === 'GATEWAY_ALLOWED_ORIGINS')?.['value'];
    const https = yamlDoc('k8s/components/gateway-api/gateway.yaml')['spec']['listeners'].find((l: Doc) => l['protocol'] === 'HTTPS');
    expect(origins).toBe(`https://${https['hostname']}`);
    const dev = kustomization('k8s/overlays/dev');
    const patchOf = (name: string) => (dev['patches'] as Doc[]).find((p) => p['target']['name'] === name)?.['patch'] as string;
    const patched = /env\/(\d+)\/value\n\s+value: (\S+)/.exec(patchOf('gateway'));
    // On kind the browser loads the web client through `kubectl port-forward svc/web 8080`.
    expect([env[Number(patched?.[1])], patched?.[2]]).toEqual(['GATEWAY_ALLOWED_ORIGINS', `http://localhost:${appFacts('web').port}`]);
  });
});
