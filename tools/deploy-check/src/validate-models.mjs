// Validates Kubernetes objects against the OpenAPI schemas of kubernetes-models (core API),
// @kubernetes-models/gateway-api and @kubernetes-models/prometheus-operator. Those packages are
// ESM only, which jest's CommonJS runtime cannot load: models.ts runs this file with node.
// stdin: a JSON array of objects. stdout: a JSON array, per object { schema } (package@version
// and group/version) or { schema, error }, or { schema: null } when no package covers its group.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');
// NODE_PATH too: ESM resolution ignores it, but it lets a scratch install stand in for node_modules.
const SEARCH = [join(REPO, 'node_modules'), ...(process.env.NODE_PATH ?? '').split(':').filter(Boolean)];

const PACKAGES = [
  { name: 'kubernetes-models', covers: (group) => !group.includes('.') || group.endsWith('.k8s.io') && !group.startsWith('gateway.') },
  { name: '@kubernetes-models/gateway-api', covers: (group) => group === 'gateway.networking.k8s.io' },
  { name: '@kubernetes-models/prometheus-operator', covers: (group) => group === 'monitoring.coreos.com' },
];

function packageDir(name) {
  const dir = SEARCH.map((root) => join(root, name)).find((d) => existsSync(join(d, 'package.json')));
  if (!dir) throw new Error(`${name} is not installed (looked in ${SEARCH.join(', ')})`);
  return dir;
}

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = PACKAGES.find((p) => p.covers(group));
  if (!pkg) return { schema: null };
  const dir = packageDir(pkg.name);
  const { version: pkgVersion } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const schema = `${pkg.name}@${pkgVersion} ${apiVersion} ${kind}`;
  const index = join(dir, group || '', version, 'index.js');
  if (!existsSync(index)) return { schema, missing: `${pkg.name}@${pkgVersion} has no ${apiVersion}` };
  const Model = (await import(pathToFileURL(index).href))[kind];
  return Model ? { schema, Model } : { schema, missing: `${pkg.name}@${pkgVersion} has no ${apiVersion} ${kind}` };
}

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const object of objects) {
  const { schema, Model, missing } = await modelFor(object.apiVersion, object.kind);
  if (missing) results.push({ schema, error: missing });
  else if (!Model) results.push({ schema });
  else {
    try {
      new Model(object).validate();
      results.push({ schema });
    } catch (error) {
      results.push({ schema, error: error.message });
    }
  }
}
process.stdout.write(JSON.stringify(results));
