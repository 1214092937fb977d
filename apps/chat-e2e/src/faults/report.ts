import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultRow } from './ledger';

const seconds = (s: number) => (Number.isFinite(s) ? s.toFixed(1) : 'never');
const codes = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ') || '—';

/** The fault table as Markdown, the form docs/reliability.md quotes. */
export function faultTable(rows: readonly FaultRow[]): string {
  const head =
    '| fault | acked | acked, not stored | stored under another id | missing deliveries (members) | duplicates after dedupe | refusals by code | socket drops | never acked | sends ok again after | all ready after | manual restarts |';
  const rule = '|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|';
  const lines = rows.map(
    (r) =>
      `| ${r.fault} | ${r.acked} | ${r.ackedNotStored} | ${r.storedAsOther} | ${r.missingDeliveries} (${r.membersMissingAny}) | ${r.duplicatesAfterDedupe} | ${codes(r.refusals)} | ${codes(r.socketDrops)} | ${r.neverAcked} | ${seconds(r.sendsOkAgainAfterS)} s | ${seconds(r.allReadyAfterS)} s | ${r.manualRestarts} |`,
  );
  return [head, rule, ...lines].join('\n');
}

/** Prints the table and keeps it under .local/logs/faults for the docs. */
export function publish(mode: string, shape: string, rows: readonly FaultRow[]): string {
  const text = `Fault suite (${mode}): ${shape}; ${new Date().toISOString()}\n\n${faultTable(rows)}\n`;
  const dir = join(__dirname, '../../../../.local/logs/faults');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${mode}.md`);
  writeFileSync(file, text);
  process.stdout.write(`\n${text}\n(also in ${file})\n`);
  return file;
}
