import { AppProcess } from './app-process';

/** Ports of the e2e stack: beside a developer's `npm start` (3000/3001/3010), not on top of it. */
export const E2E = {
  gatewayA: Number(process.env['E2E_GATEWAY_A_PORT'] ?? 3100),
  gatewayB: Number(process.env['E2E_GATEWAY_B_PORT'] ?? 3101),
  persister: Number(process.env['E2E_PERSISTER_PORT'] ?? 3110),
  presence: Number(process.env['E2E_PRESENCE_PORT'] ?? 3120),
  analytics: Number(process.env['E2E_ANALYTICS_PORT'] ?? 3130),
  jwtSecret: 'e2e-secret',
  /** The e2e web client (support/web.ts): the only browser origin the e2e gateways accept. */
  webOrigin: `http://127.0.0.1:${Number(process.env['E2E_WEB_PORT'] ?? 8180)}`,
  databaseUrl: process.env['DATABASE_URL'] ?? 'postgres://chat:chat@127.0.0.1:5432/chat',
  redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
};

/** Two gateways, the persister and the presence service (and analytics if asked), as `npm start` runs them. Gateway A has a high send rate limit
 * (bulk tests send hundreds of messages); gateway B keeps the protocol's default 20/s, burst 40. */
export class ChatStack {
  readonly gatewayA = new AppProcess('gateway-a', 'gateway', E2E.gatewayA, {
    GATEWAY_PORT: String(E2E.gatewayA),
    GATEWAY_ID: 'e2e-a',
    AUTH_JWT_SECRET: E2E.jwtSecret,
    GATEWAY_ALLOWED_ORIGINS: E2E.webOrigin,
    SEND_RATE_PER_SEC: '10000',
    SEND_BURST: '10000',
  });
  readonly gatewayB = new AppProcess('gateway-b', 'gateway', E2E.gatewayB, {
    GATEWAY_PORT: String(E2E.gatewayB),
    GATEWAY_ID: 'e2e-b',
    AUTH_JWT_SECRET: E2E.jwtSecret,
    GATEWAY_ALLOWED_ORIGINS: E2E.webOrigin,
  });
  readonly persister = new AppProcess('message-persister', 'message-persister', E2E.persister, {
    PERSISTER_PORT: String(E2E.persister),
  });

  readonly presence = new AppProcess('presence', 'presence', E2E.presence, {
    PRESENCE_PORT: String(E2E.presence),
  });

  /**
   * Only with `{ analytics: true }` (its four consumers cost every other suite start-up time). Its
   * own groups and key space, from the end of the topics: it counts exactly this run's traffic.
   */
  readonly analytics?: AppProcess;
  /** Its consumer groups and Redis key space (the first segment of its keys: totals, the online set and offsets never expire, so a suite deletes them). */
  readonly analyticsEnv?: { ANALYTICS_GROUP_ID: string; ANALYTICS_KEY_SPACE: string; ANALYTICS_FROM_BEGINNING: 'false' };

  constructor(options: { analytics?: boolean } = {}) {
    if (options.analytics) {
      const run = `analytics-e2e-${Date.now().toString(36)}`;
      this.analyticsEnv = { ANALYTICS_GROUP_ID: run, ANALYTICS_KEY_SPACE: run, ANALYTICS_FROM_BEGINNING: 'false' };
      this.analytics = new AppProcess('analytics', 'analytics', E2E.analytics, { ANALYTICS_PORT: String(E2E.analytics), ...this.analyticsEnv });
    }
  }

  get analyticsKeySpace(): string | undefined {
    return this.analyticsEnv?.ANALYTICS_KEY_SPACE;
  }

  /** The analytics process and its environment, for suites that built the stack with `{ analytics: true }`. */
  withAnalytics(): { app: AppProcess; env: NonNullable<ChatStack['analyticsEnv']> } {
    if (!this.analytics || !this.analyticsEnv) throw new Error('this ChatStack runs no analytics: new ChatStack({ analytics: true })');
    return { app: this.analytics, env: this.analyticsEnv };
  }

  private get backends(): AppProcess[] {
    return [this.persister, this.presence, ...(this.analytics ? [this.analytics] : [])];
  }

  async start(): Promise<void> {
    await Promise.all(this.backends.map((app) => app.start()));
    await Promise.all([this.gatewayA.start(), this.gatewayB.start()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.gatewayA.stop(), this.gatewayB.stop()]);
    await Promise.all(this.backends.map((app) => app.stop()));
  }
}
