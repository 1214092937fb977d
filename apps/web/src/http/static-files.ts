import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';

/** The only file types served; anything else is a 404 even if it exists. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/**
 * Maps a request path (as it came on the wire, percent-encoded, without the query) to a file
 * path inside `root`, or null when it must not be served: not absolute, badly encoded, a NUL or
 * backslash, a `.`/`..`/dot-file segment, an unknown extension, or a result outside `root`.
 * `/` is `/index.html`. Pure: it never touches the file system.
 */
export function resolveStaticPath(root: string, requestPath: string): string | null {
  if (!requestPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded === '/') decoded = '/index.html';
  const segments = decoded.slice(1).split('/');
  if (segments.some((s) => s === '' || s.startsWith('.'))) return null;
  if (!(extname(decoded).toLowerCase() in CONTENT_TYPES)) return null;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  return file.startsWith(base + sep) ? file : null;
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

/**
 * The client's files, read once at start-up (a few small files): serving is a map lookup, so
 * nothing outside the folder can be reached whatever the request path says.
 */
export class StaticFiles {
  private constructor(
    readonly root: string,
    private readonly files: ReadonlyMap<string, StaticFile>,
  ) {}

  static load(root: string): StaticFiles {
    const base = resolve(root);
    const files = new Map<string, StaticFile>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name.startsWith('.')) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        const contentType = CONTENT_TYPES[extname(entry.name).toLowerCase()];
        if (!entry.isFile() || !contentType) continue;
        const body = readFileSync(path);
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
        files.set(path, { body, contentType, etag });
      }
    };
    walk(base);
    if (!files.has(join(base, 'index.html'))) {
      throw new Error(`no index.html in ${base} (set WEB_STATIC_DIR, or build with \`npx nx build web\`)`);
    }
    return new StaticFiles(base, files);
  }

  /** The file for a request path, or undefined (see resolveStaticPath). */
  lookup(requestPath: string): StaticFile | undefined {
    const path = resolveStaticPath(this.root, requestPath);
    return path === null ? undefined : this.files.get(path);
  }

  /** Served paths relative to the root, for the start-up log. */
  list(): string[] {
    return [...this.files.keys()].map((p) => relative(this.root, p).split(sep).join('/')).sort();
  }
}
