import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO = join(__dirname, '../../..');

export const read = (path: string): string => readFileSync(join(REPO, path), 'utf8');

/** The services that ship as images (the other apps are tools and tests). */
export const SERVICES = ['gateway', 'message-persister', 'presence', 'analytics', 'web'] as const;
export type Service = (typeof SERVICES)[number];

export interface AppFacts {
  /** Every environment variable the app's config schema reads. */
  env: Set<string>;
  /** The `<X>_PORT` variable and its default. */
  portVar: string;
  port: number;
}

/**
 * Facts from the app's own config schema source: apps may not be imported by a tool (module
 * boundaries), and the schema's keys are the one place these names are declared.
 */
export function appFacts(service: Service): AppFacts {
  const dir = `apps/${service}/src/config`;
  const file = readdirSync(join(REPO, dir)).find((f) => f.endsWith('.config.ts'));
  if (!file) throw new Error(`no *.config.ts in ${dir}`);
  const source = read(`${dir}/${file}`);
  const env = new Set([...envNames(source), ...[...source.matchAll(/^ {2}\.\.\.(\w+),$/gm)].flatMap((m) => sharedEnv(group(m, 1)))]);
  const port = /^ {2}([A-Z]+_PORT): env\.port\((\d+)\)/m.exec(source);
  if (!port) throw new Error(`no <X>_PORT: env.port(n) in ${dir}/${file}`);
  return { env, portVar: group(port, 1), port: Number(group(port, 2)) };
}

const envNames = (source: string): string[] => [...source.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => group(m, 1));

/** The variables of a shape libs/config shares (`export const kafkaSecurityEnv = { ... };`), spread into app schemas. */
function sharedEnv(shape: string): string[] {
  const dir = 'libs/config/src/lib';
  for (const file of readdirSync(join(REPO, dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
    const block = new RegExp(`^export const ${shape} = \\{\n([\\s\\S]*?)^\\};`, 'm').exec(read(`${dir}/${file}`));
    if (block) return envNames(group(block, 1));
  }
  throw new Error(`an app config spreads ...${shape}, which ${dir} does not export as a shape`);
}

/** The health paths the services answer: libs/health's controller and the web server's. */
export function healthPaths(): Set<string> {
  const controller = read('libs/health/src/lib/health.controller.ts');
  const base = /@Controller\('([^']+)'\)/.exec(controller)?.[1];
  const paths = [...controller.matchAll(/@Get\('([^']+)'\)/g)].map((m) => `/${base}/${group(m, 1)}`);
  const web = read('apps/web/src/http/web-server.ts');
  for (const path of paths) {
    if (!web.includes(`'${path}'`)) throw new Error(`the web server does not answer ${path}`);
  }
  return new Set(paths);
}

/** Capture group `n` of a match: a group that took no part means the pattern, not the repo, is wrong. */
export function group(match: RegExpMatchArray, n: number): string {
  const value = match[n];
  if (value === undefined) throw new Error(`group ${n} took no part in the match ${JSON.stringify(match[0])}`);
  return value;
}

export type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every YAML document of a file; a syntax error fails with the file's name. */
export function yamlDocs(path: string): Doc[] {
  // merge: compose files use YAML merge keys (<<) for shared blocks.
  return parseAllDocuments(read(path), { merge: true }).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as Doc;
  }).filter((doc) => doc !== null);
}

/** The first YAML document of a file, which must have one. */
export function yamlDoc(path: string): Doc {
  const [doc] = yamlDocs(path);
  if (doc === undefined) throw new Error(`${path} has no YAML document`);
  return doc;
}
