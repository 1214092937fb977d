import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** The parts of a V8 .cpuprofile (node --cpu-prof) this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  where: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not idle: what the process spent working. */
  busyMs: number;
  self: ProfileRow[];
  inclusive: ProfileRow[];
  byPackage: ProfileRow[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a frame's code comes from: an npm package, node internals, the app's own code, or V8. */
export function packageOf(url: string, functionName: string): string {
  if (SPECIAL.has(functionName)) return functionName;
  if (!url) return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  return '(app)';
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const parts = url.replace(/^file:\/\//, '').split('/');
  return parts.slice(-3).join('/');
}

/** Self time, inclusive time and time per package, in ms and percent of busy (non-idle) time. */
export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (id: number) => {
    const f = byId.get(id)?.callFrame;
    return f ? `${f.functionName || '(anonymous)'}\u0000${f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ''}` : '?';
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const node = byId.get(id);
    if (!node) return;
    if (node.callFrame.functionName === '(idle)') {
      idle += dt;
      return;
    }
    const k = key(id);
    self.set(k, (self.get(k) ?? 0) + dt);
    const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const ak = key(at);
      if (seen.has(ak) || byId.get(at)?.callFrame.functionName === '(root)') continue;
      seen.add(ak);
      inclusive.set(ak, (inclusive.get(ak) ?? 0) + dt);
    }
  });
  const busy = total - idle;
  const rows = (m: Map<string, number>, n: number): ProfileRow[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => {
        const [name = '', where = ''] = k.split('\u0000');
        return { name, where, ms: Math.round(ms), percent: busy > 0 ? Math.round((ms / busy) * 1000) / 10 : 0 };
      });
  return { totalMs: Math.round(total), busyMs: Math.round(busy), self: rows(self, top), inclusive: rows(inclusive, top), byPackage: rows(packages, top) };
}

export function formatProfile(summary: ProfileSummary): string {
  const section = (title: string, rows: ProfileRow[]) => [
    title,
    ...rows.map((r) => `  ${r.percent.toFixed(1).padStart(5)}%  ${String(r.ms).padStart(7)} ms  ${r.name}${r.where ? `  (${r.where})` : ''}`),
  ];
  return [
    `profile: ${summary.totalMs} ms sampled, ${summary.busyMs} ms busy (${summary.totalMs > 0 ? Math.round((summary.busyMs / summary.totalMs) * 100) : 0}% of one core); percentages are of busy time`,
    ...section('by package (self time):', summary.byPackage),
    ...section('hottest functions (self time):', summary.self),
    ...section('hottest stacks (inclusive time):', summary.inclusive),
  ].join('\n');
}

/** `profile-top FILE [--top N] [--json]` */
export function runProfileTop(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { top: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const [file] = positionals;
  if (positionals.length !== 1 || file === undefined) {
    process.stderr.write('usage: loadgen profile-top FILE.cpuprofile [--top 25] [--json]\n');
    return 2;
  }
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(values.top ?? 25));
  process.stdout.write((values.json ? JSON.stringify(summary, null, 2) : formatProfile(summary)) + '\n');
  return 0;
}
