import type { Browser, BrowserContext, Page } from 'playwright-core';
import { uniqueRoom } from './support/client';
import { ChatStack, E2E } from './support/stack';
import { launchChromium, openPage, screenshot, webApp } from './support/web';

/** Signs in through the page (POST /dev/token) on gateway `gateway` (0 = A, 1 = B) and waits for the socket. */
async function signIn(page: Page, userId: string, gateway: 0 | 1): Promise<void> {
  await page.locator('#signin-user').fill(userId);
  await page.locator(`#signin-gateways-${gateway}`).check({ force: true });
  await page.locator('#signin-submit').click();
  await page.locator('body[data-connection="connected"]').waitFor({ timeout: 30_000 });
}

async function joinRoom(page: Page, input: string, roomId: string): Promise<void> {
  await page.locator('#join-input').fill(input);
  await page.locator('#join-input').press('Enter');
  await page.locator(`.room-item[data-room-id="${roomId}"][data-status="joined"]`).waitFor({ timeout: 30_000 });
}

async function send(page: Page, body: string): Promise<void> {
  await page.locator('#composer-input').fill(body);
  await page.locator('#composer-input').press('Enter');
}

/** The confirmed (server-acknowledged) message rows whose body is `body`. */
function confirmed(page: Page, body: string) {
  return page.locator('#message-list .message[data-message-id]').filter({
    has: page.locator('.message-body', { hasText: body }),
  });
}

describe('web client in a real browser (chromium, two gateways, Kafka, Redis, PostgreSQL)', () => {
  const stack = new ChatStack();
  const web = webApp();
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  const open = async () => {
    if (!browser) throw new Error('chromium did not start');
    const opened = await openPage(browser, web.url);
    contexts.push(opened.page.context());
    return opened;
  };

  beforeAll(async () => {
    // The browser first: a missing chromium fails at once, with the command that installs it.
    browser = await launchChromium();
    await stack.start();
    await web.start();
  }, 180_000);
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await web.stop();
    await stack.stop();
  });

  it('shows bob on gateway B the message alice sends from gateway A, as text', async () => {
    const room = uniqueRoom('e2e-web');
    const alice = await open();
    const bob = await open();
    await alice.page.locator('#signin-view').waitFor();
    await screenshot(alice.page, 'web-signin');

    await signIn(alice.page, 'alice', 0);
    await signIn(bob.page, 'bob', 1);
    expect(await alice.page.locator('#connection-text').textContent()).toContain(`127.0.0.1:${E2E.gatewayA}`);
    expect(await bob.page.locator('#connection-text').textContent()).toContain(`127.0.0.1:${E2E.gatewayB}`);
    await joinRoom(alice.page, room, room);
    await joinRoom(bob.page, room, room);

    const body = `Hello Bob <b>from</b> gateway A ${Date.now()}`;
    await send(alice.page, body);

    const atBob = confirmed(bob.page, body);
    await atBob.waitFor({ timeout: 20_000 });
    expect(await atBob.locator('.message-body').textContent()).toBe(body); // escaped, not markup
    expect(await bob.page.locator('#message-list .message-body b').count()).toBe(0);
    expect(await atBob.getAttribute('data-sender')).toBe('alice');

    // Alice sees her message once: the ack and message:new carry the same messageId.
    await confirmed(alice.page, body).waitFor({ timeout: 20_000 });
    expect(await confirmed(alice.page, body).count()).toBe(1);
    expect(await alice.page.locator('#message-list .message.pending').count()).toBe(0);

    // And back the other way.
    await send(bob.page, 'Hi Alice, got it through gateway B');
    await confirmed(alice.page, 'Hi Alice, got it through gateway B').waitFor({ timeout: 20_000 });
    await confirmed(bob.page, 'Hi Alice, got it through gateway B').waitFor({ timeout: 20_000 });
    expect(await atBob.getAttribute('data-message-id')).toBe(await confirmed(alice.page, body).getAttribute('data-message-id'));

    await screenshot(bob.page, 'web-conversation-bob');
    await screenshot(alice.page, 'web-conversation-alice');
    expect([...alice.problems, ...bob.problems]).toEqual([]);
  });

  it('opens a direct conversation with "dm with <user>" for both members', async () => {
    const alice = await open();
    const bob = await open();
    const suffix = Date.now().toString(36);
    const [a, b] = [`alice-${suffix}`, `bob-${suffix}`];
    await signIn(alice.page, a, 0);
    await signIn(bob.page, b, 1);
    const roomId = `dm:${a}:${b}`;
    await joinRoom(alice.page, `dm with ${b}`, roomId);
    await joinRoom(bob.page, `dm with ${a}`, roomId);

    await send(bob.page, 'just between us');
    await confirmed(alice.page, 'just between us').waitFor({ timeout: 20_000 });
    expect(await alice.page.locator('#room-title').textContent()).toBe(`@ ${b}`);
    expect([...alice.problems, ...bob.problems]).toEqual([]);
  });

  it('sends the user back to sign-in when the gateway refuses the token (UNAUTHORIZED)', async () => {
    const { page } = await open();
    await signIn(page, 'mallory', 0);
    // A forged token (claims changed, signature kept): the next handshake is refused.
    await page.evaluate(() => {
      const key = 'chat.session.v1';
      const { sessionStorage } = globalThis as unknown as { sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void } };
      const saved = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      const [header, , signature] = saved.session.token.split('.');
      const claims = btoa(JSON.stringify({ sub: 'mallory', exp: Math.floor(Date.now() / 1000) + 3600 }))
        .replace(/=+$/, '')
        .replace(/\+/g, '-')
        .replace(/\//g, '_');
      saved.session.token = `${header}.${claims}.${signature}`;
      sessionStorage.setItem(key, JSON.stringify(saved));
    });
    await page.reload();
    await page.locator('#signin-view').waitFor({ timeout: 20_000 });
    expect(await page.locator('#signin-error').textContent()).toContain('UNAUTHORIZED');
    expect(await page.locator('#signin-user').inputValue()).toBe('mallory');
  });
});
