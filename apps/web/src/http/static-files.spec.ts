import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveStaticPath, StaticFiles } from './static-files';

describe('static files', () => {
  const root = '/srv/web/public';

  describe('resolveStaticPath', () => {
    it.each([
      ['/', '/srv/web/public/index.html'],
      ['/index.html', '/srv/web/public/index.html'],
      ['/app.js', '/srv/web/public/app.js'],
      ['/vendor/socket.io.min.js', '/srv/web/public/vendor/socket.io.min.js'],
      ['/STYLE.CSS', '/srv/web/public/STYLE.CSS'],
      ['/with%20space.css', '/srv/web/public/with space.css'],
    ])('maps %s inside the root', (path, expected) => {
      expect(resolveStaticPath(root, path)).toBe(expected);
    });

    it.each([
      '/../secret.js',
      '/..%2fsecret.js',
      '/%2e%2e/secret.js',
      '/%2e%2e%2fsecret.js',
      '/vendor/../../main.js',
      '/vendor/%2e%2e/%2e%2e/main.js',
      '/..\\main.js',
      '/%5c..%5cmain.js',
      '/./app.js',
      '//etc/passwd.js',
      '/vendor//x.js',
      '/.env',
      '/.git/config.js',
      '/app.js%00.html',
      '/%E0%A4%A.js',
      'app.js',
      '',
      '/etc/passwd',
      '/main.js.txt',
      '/vendor/',
    ])('refuses %j', (path) => {
      expect(resolveStaticPath(root, path)).toBeNull();
    });
  });

  describe('StaticFiles', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'web-static-'));
      mkdirSync(join(dir, 'public/vendor'), { recursive: true });
      writeFileSync(join(dir, 'public/index.html'), '<!doctype html>');
      writeFileSync(join(dir, 'public/app.js'), 'console.log(1)');
      writeFileSync(join(dir, 'public/vendor/socket.io.min.js'), 'io');
      writeFileSync(join(dir, 'public/.hidden.js'), 'hidden');
      writeFileSync(join(dir, 'public/notes.txt'), 'unknown type');
      writeFileSync(join(dir, 'secret.js'), 'outside');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('serves the folder’s known file types with their content type and an ETag', () => {
      const files = StaticFiles.load(join(dir, 'public'));
      expect(files.list()).toEqual(['app.js', 'index.html', 'vendor/socket.io.min.js']);
      const index = files.lookup('/');
      expect(index?.contentType).toBe('text/html; charset=utf-8');
      expect(index?.body.toString()).toBe('<!doctype html>');
      expect(index?.etag).toMatch(/^"[\w-]{27}"$/);
      expect(files.lookup('/app.js')?.contentType).toBe('text/javascript; charset=utf-8');
      expect(files.lookup('/vendor/socket.io.min.js')?.body.toString()).toBe('io');
    });

    it('finds nothing outside the folder, hidden or of unknown type', () => {
      const files = StaticFiles.load(join(dir, 'public'));
      for (const path of ['/../secret.js', '/%2e%2e/secret.js', '/.hidden.js', '/notes.txt', '/missing.js']) {
        expect(files.lookup(path)).toBeUndefined();
      }
    });

    it('refuses a folder without index.html', () => {
      expect(() => StaticFiles.load(join(dir, 'public/vendor'))).toThrow(/no index\.html/);
    });
  });
});
