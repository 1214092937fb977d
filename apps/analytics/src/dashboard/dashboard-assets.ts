import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Asset {
  body: Buffer;
  contentType: string;
}

/** The page's own files (src/dashboard/public) and uPlot's, by the name the page asks for. */
const FILES: Record<string, { from: 'page' | 'uplot'; contentType: string }> = {
  'index.html': { from: 'page', contentType: 'text/html; charset=utf-8' },
  'dashboard.js': { from: 'page', contentType: 'text/javascript; charset=utf-8' },
  'dashboard.css': { from: 'page', contentType: 'text/css; charset=utf-8' },
  'uPlot.iife.min.js': { from: 'uplot', contentType: 'text/javascript; charset=utf-8' },
  'uPlot.min.css': { from: 'uplot', contentType: 'text/css; charset=utf-8' },
};

/**
 * Built (dist/apps/analytics), webpack has copied all five into `dashboard/` beside main.js (see
 * webpack.config.js); run from source (tests), they are read from src and node_modules/uplot/dist.
 */
function directories(): { page: string; uplot: string } {
  const built = join(__dirname, 'dashboard');
  if (existsSync(join(built, 'uPlot.iife.min.js'))) return { page: built, uplot: built };
  return { page: join(__dirname, 'public'), uplot: nodeModule(__dirname, 'uplot/dist') };
}

function nodeModule(from: string, path: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', path);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`node_modules/${path} not found above ${from}`);
  }
}

/** Read once at start-up: a handful of small files, never a path taken from the request. */
export function loadDashboardAssets(): Map<string, Asset> {
  const dirs = directories();
  return new Map(Object.entries(FILES).map(([name, { from, contentType }]) => [name, { body: readFileSync(join(dirs[from], name)), contentType }]));
}
