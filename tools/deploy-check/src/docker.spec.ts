import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appFacts, Doc, group, read, REPO, Service, SERVICES, yamlDoc } from './repo-facts';

const compose = (): Doc => yamlDoc('docker/compose.yaml');
const appServices = (): Array<[string, Doc]> =>
  Object.entries(compose()['services'] as Record<string, Doc>).filter(([, s]) => s['build']?.['args']?.['APP']);
const appOf = (service: Doc): Service => service['build']['args']['APP'] as Service;
/** The host side of a compose service's first published port (`"3000:3000"` publishes 3000). */
const hostPort = (service: Doc | undefined): string => {
  const host = (service?.['ports'] as string[] | undefined)?.[0]?.split(':')[0];
  if (!host) throw new Error(`a compose service publishes no port: ${JSON.stringify(service)}`);
  return host;
};

describe('docker (static)', () => {
  it('the Dockerfile builds the app named by APP and exposes every service’s port', () => {
    const dockerfile = read('docker/Dockerfile');
    expect(dockerfile).toMatch(/npx nx run "\$APP:prune"/);
    expect(dockerfile).toMatch(/COPY --from=build \/src\/dist\/apps\/\$\{APP\} \.\/dist/);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/main.js"\]/);
    const exposed = /^EXPOSE (.+)$/m.exec(dockerfile)?.[1]?.split(/\s+/).map(Number);
    expect(exposed?.sort()).toEqual(SERVICES.map((s) => appFacts(s).port).sort());
  });

  it('both stages run Node 24 (.nvmrc) on Debian 13 trixie', () => {
    const bases = [...read('docker/Dockerfile').matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    const major = read('.nvmrc').trim().split('.')[0];
    expect(bases).toEqual([`node:${major}-trixie-slim`, `node:${major}-trixie-slim`]);
  });

  it('the runtime stage installs only the app’s pruned dependencies, never the workspace lockfile', () => {
    const runtime = read('docker/Dockerfile').split(/^FROM .* AS runtime$/m)[1];
    expect(runtime).toMatch(/cd dist && npm ci --omit=dev/);
    expect(runtime).not.toMatch(/COPY package\.json package-lock\.json/);
    for (const service of SERVICES) {
      const targets = JSON.parse(read(`apps/${service}/project.json`))['targets'];
      expect([service, targets['prune-lockfile']?.['executor'], targets['prune']?.['dependsOn']])
        .toEqual([service, '@nx/js:prune-lockfile', ['prune-lockfile', 'copy-workspace-modules']]);
    }
  });

  it('the image’s HEALTHCHECK knows every app’s port variable and default', () => {
    const dockerfile = read('docker/Dockerfile');
    expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["node", "healthcheck\.cjs"\]$/m);
    const script = read('docker/healthcheck.cjs');
    expect(script).toContain("/health/ready");
    for (const service of SERVICES) {
      const { portVar, port } = appFacts(service);
      expect([service, script.includes(`'${portVar}'`)]).toEqual([service, true]);
      expect(dockerfile).toContain(`${service}) p=${port} ;;`);
    }
  });

  it('every compose service has a health check; Redis is a maintained release', () => {
    const services = compose()['services'] as Record<string, Doc>;
    for (const [name, service] of Object.entries(services)) expect([name, Array.isArray(service['healthcheck']?.['test'])]).toEqual([name, true]);
    expect(services['redis']?.['image']).toMatch(/^redis:8\./);
  });

  it('compose builds every service, from apps that exist', () => {
    const apps = appServices().map(([, s]) => appOf(s));
    expect([...new Set(apps)].sort()).toEqual([...SERVICES].sort());
    for (const app of apps) expect(existsSync(join(REPO, 'apps', app, 'project.json'))).toBe(true);
  });

  it('compose gives each app only variables its config reads, and publishes its real port', () => {
    for (const [name, service] of appServices()) {
      const facts = appFacts(appOf(service));
      for (const variable of Object.keys(service['environment'] ?? {})) {
        expect([name, variable, facts.env.has(variable)]).toEqual([name, variable, true]);
      }
      expect(Number(service['environment'][facts.portVar])).toBe(facts.port);
      for (const mapping of (service['ports'] ?? []) as string[]) {
        expect([name, Number(mapping.split(':')[1])]).toEqual([name, facts.port]);
      }
    }
  });

  it('compose health checks probe the real ready path and port', () => {
    for (const [name, service] of appServices()) {
      const test = (service['healthcheck']?.['test'] ?? []) as string[];
      const url = /http:\/\/127\.0\.0\.1:(\d+)(\/[a-z/]+)/.exec(test.join(' '));
      if (!url) continue;
      expect([name, Number(url[1]), url[2]]).toEqual([name, appFacts(appOf(service)).port, '/health/ready']);
    }
  });

  it('the web client points at the gateways as the host publishes them', () => {
    const services = compose()['services'] as Record<string, Doc>;
    const published = Object.values(services)
      .filter((s) => s['build']?.['args']?.['APP'] === 'gateway')
      .map((s) => `http://localhost:${hostPort(s)}`);
    expect(String(services['web']?.['environment']['WEB_GATEWAY_URLS']).split(',')).toEqual(published);
  });

  it('every app listens beyond loopback in its container, in development mode (dev secret and sign-in)', () => {
    for (const [name, service] of appServices()) {
      expect([name, service['environment']['LISTEN_HOST'], service['environment']['NODE_ENV']]).toEqual([name, '0.0.0.0', 'development']);
    }
  });

  it('the gateways accept the web client’s page as the host publishes it', () => {
    const services = compose()['services'] as Record<string, Doc>;
    const webOrigin = `http://localhost:${hostPort(services['web'])}`;
    for (const service of Object.values(services).filter((s) => s['build']?.['args']?.['APP'] === 'gateway')) {
      expect(String(service['environment']['GATEWAY_ALLOWED_ORIGINS']).split(',')).toContain(webOrigin);
    }
  });
});
