import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Doc, REPO } from './repo-facts';

/** Where `bash tools/stack/kustomize.sh` (run by `npm test`) installs kustomize when kubectl is missing. */
export const LOCAL_KUSTOMIZE = join(REPO, '.local/tools/bin/kustomize');

const onPath = (name: string): string | undefined =>
  (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name)).find((path) => existsSync(path));

/** kubectl 1.27+ bundles kustomize v5 (the components and `labels` used here need v4.1+). */
function kubectlHasKustomize5(kubectl: string): boolean {
  const out = spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8', timeout: 20_000 });
  const version = /Kustomize Version: v(\d+)/.exec(out.stdout ?? '');
  return version !== null && Number(version[1]) >= 5;
}

/** The command that renders a kustomization: kubectl kustomize, else a kustomize binary. */
export function renderer(): [command: string, ...args: string[]] {
  const kubectl = onPath('kubectl');
  if (kubectl && kubectlHasKustomize5(kubectl)) return [kubectl, 'kustomize'];
  const kustomize = process.env['KUSTOMIZE'] ?? onPath('kustomize') ?? (existsSync(LOCAL_KUSTOMIZE) ? LOCAL_KUSTOMIZE : undefined);
  if (kustomize) return [kustomize, 'build'];
  throw new Error(
    'no kustomize renderer: neither kubectl (with kustomize v5) nor kustomize is on PATH, and ' +
      `${LOCAL_KUSTOMIZE} does not exist. Run \`bash tools/stack/kustomize.sh\` (npm test does): it installs ` +
      'kustomize v5.5.0 with `go install` into .local/tools/bin.',
  );
}

/** Every object a kustomization renders to, as kubectl apply -k would send it. */
export function render(dir: string): Doc[] {
  const [command, ...args] = renderer();
  const yaml = execFileSync(command, [...args, join(REPO, dir)], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(yaml).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${dir}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as Doc;
  }).filter((doc) => doc !== null);
}
