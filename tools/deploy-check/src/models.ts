import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Doc } from './repo-facts';

export interface ModelResult {
  /** `package@version apiVersion kind` that validated the object; null when no package covers its group. */
  schema: string | null;
  error?: string;
}

/** Validates objects with the kubernetes-models packages (validate-models.mjs, run by node). */
export function validateWithModels(objects: Doc[]): ModelResult[] {
  const run = spawnSync(process.execPath, [join(__dirname, 'validate-models.mjs')], {
    input: JSON.stringify(objects), encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`validate-models.mjs failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as ModelResult[];
}
