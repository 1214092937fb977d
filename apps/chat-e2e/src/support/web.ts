import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { AppProcess } from './app-process';
import { E2E } from './stack';

/** Beside a developer's `npm start` web client (8080), like the other e2e ports. */
export const WEB_E2E_PORT = Number(new URL(E2E.webOrigin).port);
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const E2E_LOG_DIR = join(__dirname, '../../../../.local/logs/e2e');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The web client's server (dist/apps/web), pointed at the e2e gateways and their JWT secret. */
export function webApp(port = WEB_E2E_PORT): AppProcess {
  return new AppProcess('web', 'web', port, {
    WEB_PORT: String(port),
    WEB_GATEWAY_URLS: `http://127.0.0.1:${E2E.gatewayA},http://127.0.0.1:${E2E.gatewayB}`,
    AUTH_JWT_SECRET: E2E.jwtSecret,
    WEB_DEV_TOKENS: 'true',
  });
}

/** Debian's chromium, driven by playwright-core; fails with the install command when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The browser end-to-end test drives Debian's chromium: ` +
        'install it with `apt-get install -y chromium` (or set CHROMIUM_PATH to a Chromium binary).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** A page in its own browser context (its own sessionStorage), collecting page errors and CSP violations. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(E2E_LOG_DIR, { recursive: true });
  const path = join(E2E_LOG_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
