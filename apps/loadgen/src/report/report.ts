import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { LoadResult } from '../lib/result';
import { charts, Latest, markdownReport, pickLatest } from './compare';

export const DOC_START = '<!-- bench:results:start -->';
export const DOC_END = '<!-- bench:results:end -->';

/** Replaces what is between the markers; the text unchanged (and false) when they are missing. */
export function spliceBetweenMarkers(doc: string, content: string): { text: string; replaced: boolean } {
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start) return { text: doc, replaced: false };
  return { text: `${doc.slice(0, start + DOC_START.length)}\n\n${content.trim()}\n\n${doc.slice(end)}`, replaced: true };
}

export function readResults(dir: string): LoadResult[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as LoadResult)
    .filter((r) => r && r.schema === 'loadgen-result/1');
}

/** The systems the report compares, the reference (the ratios' numerator) first. */
export const DEFAULT_SYSTEMS = 'platform,peer,centrifugo';

/** The wanted systems that have a result of some kind: one never run gets no empty column. */
export function systemsWithResults(latest: Latest, wanted: readonly string[]): string[] {
  return wanted.filter((s) => latest.chat.has(s) || latest.lowload.has(s) || latest.ramp.has(s) || latest.connections.has(s) || latest.idle.has(s));
}

/** `report --results DIR --charts DIR [--doc FILE] [--systems platform,peer,centrifugo]` */
export function runReport(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: { results: { type: 'string' }, charts: { type: 'string' }, doc: { type: 'string' }, systems: { type: 'string' } },
    strict: true,
  });
  if (!values.results) {
    process.stderr.write('report: --results DIR is required\n');
    return 2;
  }
  const wanted = (values.systems ?? DEFAULT_SYSTEMS).split(',').map((l) => l.trim()).filter(Boolean);
  if (wanted.length === 0) {
    process.stderr.write('report: --systems takes labels, the reference first, e.g. platform,peer,centrifugo\n');
    return 2;
  }
  const latest = pickLatest(readResults(values.results));
  const systems = systemsWithResults(latest, wanted);
  const links: Record<string, string> = {};
  if (values.charts) {
    mkdirSync(values.charts, { recursive: true });
    for (const [stem, svg] of Object.entries(charts(latest, systems))) {
      const path = join(values.charts, `${stem}.svg`);
      writeFileSync(path, svg);
      links[stem] = values.doc ? relative(dirname(values.doc), path) : path;
      process.stderr.write(`[report] wrote ${path}\n`);
    }
  }
  const markdown = markdownReport(latest, systems, links);
  process.stdout.write(markdown);
  if (values.doc) {
    if (!existsSync(values.doc)) {
      process.stderr.write(`[report] ${values.doc} does not exist; not updated\n`);
    } else {
      const { text, replaced } = spliceBetweenMarkers(readFileSync(values.doc, 'utf8'), markdown);
      if (replaced) {
        writeFileSync(values.doc, text);
        process.stderr.write(`[report] updated the results section of ${values.doc}\n`);
      } else {
        process.stderr.write(`[report] ${values.doc} has no ${DOC_START} … ${DOC_END} markers; not updated\n`);
      }
    }
  }
  return 0;
}
