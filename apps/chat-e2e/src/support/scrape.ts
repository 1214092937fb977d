/** One Prometheus text exposition, parsed into its samples. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})? (?<value>\S+)$/.exec(line);
    const { name, labels: labelText = '', value } = match?.groups ?? {};
    if (name === undefined || value === undefined) continue;
    const labels: Record<string, string> = {};
    for (const label of labelText.matchAll(/(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<text>(?:[^"\\]|\\.)*)"/g)) {
      const { key, text } = label.groups ?? {};
      if (key !== undefined && text !== undefined) labels[key] = text;
    }
    samples.push({ name, labels, value: Number(value) });
  }
  return samples;
}

/** The sum of a series' samples whose labels include `where` (all of them without it). */
export function total(samples: readonly Sample[], name: string, where: Record<string, string | RegExp> = {}): number {
  return samples
    .filter((s) => s.name === name)
    .filter((s) => Object.entries(where).every(([k, v]) => (typeof v === 'string' ? s.labels[k] === v : v.test(s.labels[k] ?? ''))))
    .reduce((sum, s) => sum + s.value, 0);
}

export function has(samples: readonly Sample[], name: string, where: Record<string, string | RegExp> = {}): boolean {
  return samples.some(
    (s) => s.name === name && Object.entries(where).every(([k, v]) => (typeof v === 'string' ? s.labels[k] === v : v.test(s.labels[k] ?? ''))),
  );
}

export async function scrape(baseUrl: string, token: string): Promise<Sample[]> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
  if (res.status !== 200) throw new Error(`${baseUrl}/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}
