import Redis from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { sleep, TestClient, uniqueRoom } from './support/client';
import { ChatStack, E2E } from './support/stack';
import { launchChromium, openPage, screenshot } from './support/web';

interface Summary {
  at: string;
  total: { messages: number };
  onlineNow: number;
  topRooms5m: { roomId: string; messages: number }[];
}

const ANALYTICS = `http://127.0.0.1:${E2E.analytics}`;

async function api(): Promise<Summary> {
  return (await (await fetch(`${ANALYTICS}/analytics/summary`)).json()) as Summary;
}

async function room(roomId: string): Promise<{ total: { messages: number } }> {
  return (await (await fetch(`${ANALYTICS}/analytics/rooms/${roomId}`)).json()) as { total: { messages: number } };
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last) && Date.now() < deadline) {
    await sleep(200);
    last = await probe();
  }
  if (!done(last)) throw new Error(`${what} not within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
  return last;
}

/** What the page shows, read from the data-value attributes the dashboard sets beside the text. */
async function shown(page: Page) {
  const value = async (id: string) => Number(await page.locator(`#${id}`).getAttribute('data-value'));
  const topRow = page.locator('#top-rooms tbody tr[data-room-id]').first();
  return {
    at: await page.locator('body').getAttribute('data-summary-at'),
    totalMessages: await value('total-messages'),
    onlineNow: await value('online-now'),
    topRoom: { roomId: await topRow.getAttribute('data-room-id'), messages: Number(await topRow.getAttribute('data-messages')) },
  };
}

describe('analytics dashboard in a real browser (chromium; gateways, presence, analytics, Kafka, Redis)', () => {
  const stack = new ChatStack({ analytics: true });
  const clients: TestClient[] = [];
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    await stack.start();
  }, 180_000);
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await browser?.close();
    await stack.stop();
    const redis = new Redis(E2E.redisUrl, { maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${stack.analyticsKeySpace}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const connect = async (user: string) => {
    const client = await TestClient.connect(E2E.gatewayA, user);
    clients.push(client);
    return client;
  };

  it('draws the live summary, updating without a reload, with the numbers the API serves', async () => {
    if (!browser) throw new Error('chromium did not start');
    const [busy, quiet, warmUp] = [uniqueRoom('dash-busy'), uniqueRoom('dash-quiet'), uniqueRoom('dash-warm')];
    const alice = await connect(`alice-${Date.now()}`);
    await alice.ok('room:join', { roomId: warmUp });
    // The analytics groups start at the end of the topics once assigned: a counted message says they are.
    let warm = 0;
    await until(async () => (await alice.ok('message:send', { roomId: warmUp, clientMsgId: `w-${warm}`, body: `warm ${warm++}` }), (await api()).total.messages), (n) => n > 0, 30_000, 'a first counted message');
    const bob = await connect(`bob-${Date.now()}`);
    const carol = await connect(`carol-${Date.now()}`);
    await Promise.all([alice.ok('room:join', { roomId: busy }), bob.ok('room:join', { roomId: quiet })]);
    await until(api, (s) => s.onlineNow >= 2, 20_000, 'online users counted');

    const { page, problems } = await openPage(browser, `${ANALYTICS}/analytics/dashboard`);
    await page.locator('body[data-stream="live"]').waitFor({ timeout: 10_000 });

    // While messages flow: the page moves on by itself, at least every 2 s.
    const seen: { at: string | null; totalMessages: number }[] = [];
    for (let i = 0; i < 30; i++) {
      await alice.ok('message:send', { roomId: busy, clientMsgId: `b-${i}`, body: `busy ${i}` });
      if (i % 6 === 0) await bob.ok('message:send', { roomId: quiet, clientMsgId: `q-${i}`, body: `quiet ${i}` });
      await sleep(150);
      if (i % 5 === 4) seen.push(await shown(page));
    }
    expect(new Set(seen.map((s) => s.at)).size).toBeGreaterThanOrEqual(2);
    expect(seen[seen.length - 1].totalMessages).toBeGreaterThan(seen[0].totalMessages);

    // Other suites may share the broker, so the topic's traffic is not only ours: the page must show
    // what the API answered just before and just after the summary it drew, when those two agree.
    const busyRoom = await until(() => room(busy), (r) => r.total.messages === 30, 20_000, 'the busy room counted');
    expect(busyRoom.total.messages).toBe(30);
    const agreed = await until(
      async () => {
        const before = await api();
        await until(() => page.locator('body').getAttribute('data-summary-at'), (at) => (at ?? '') > before.at, 5_000, 'a summary drawn after the API answer');
        const onPage = await shown(page);
        const after = await api();
        const view = (s: Summary) => ({ totalMessages: s.total.messages, onlineNow: s.onlineNow, topRoom: s.topRooms5m[0] });
        return { onPage, before: view(before), after: view(after) };
      },
      ({ before, after }) => JSON.stringify(before) === JSON.stringify(after),
      30_000,
      'two API answers in a row agreeing',
    );
    expect(agreed.onPage).toMatchObject(agreed.before);
    const latest = await api();
    expect(latest.onlineNow).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#chart-messages canvas').count()).toBe(1);
    expect(problems).toEqual([]);
    expect(carol.socket.connected).toBe(true);

    const path = await screenshot(page, 'analytics-dashboard');
    process.stdout.write(`analytics dashboard screenshot: ${path}\n`);
    await page.context().close();
  }, 120_000);
});
