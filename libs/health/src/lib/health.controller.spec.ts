import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { StartupProgress } from '@chat/bootstrap';
import { HealthModule } from './health.module';
import { ReadinessCheck } from './readiness-check';

/** Fake dependencies (unit test): one that answers, one whose state the test sets. */
class Answering implements ReadinessCheck {
  readonly name = 'kafka';
  async check(): Promise<void> {
    return undefined;
  }
}
class Flaky implements ReadinessCheck {
  static down = false;
  readonly name = 'redis';
  async check(): Promise<void> {
    if (Flaky.down) throw new Error('connection refused');
  }
}

describe('HealthModule', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      // As in a service's one AppModule: the checks are its own providers, not exported to HealthModule.
      imports: [HealthModule.forRoot([Answering, Flaky])],
      providers: [Answering, Flaky],
    }).compile();
    app = module.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  it('is live regardless of dependencies', async () => {
    Flaky.down = true;
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });

  it('is not ready until start-up has finished', async () => {
    Flaky.down = false;
    const res = await fetch(`${url}/health/ready`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: unknown }).error).toEqual({ startup: { status: 'down', message: 'still starting: starting' } });
    app.get(StartupProgress).finish();
  });

  it('is ready only while every dependency answers, naming the one that does not', async () => {
    Flaky.down = false;
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);

    Flaky.down = true;
    const res = await fetch(`${url}/health/ready`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: unknown; info: unknown };
    expect(body.error).toEqual({ redis: { status: 'down', message: 'connection refused' } });
    expect(body.info).toEqual({ startup: { status: 'up' }, kafka: { status: 'up' } });
  });
});
