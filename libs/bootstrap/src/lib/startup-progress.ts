import { Injectable } from '@nestjs/common';

/**
 * Not ready until the app says its start-up is complete: an app whose HTTP server listens
 * before its consumers run must not be sent traffic (or counted ready by an orchestrator) yet.
 * HealthModule (@chat/health) provides it and runs it as the first readiness check.
 */
@Injectable()
export class StartupProgress {
  readonly name = 'startup';
  private current = 'starting';
  private finished = false;

  step(name: string): void {
    this.current = name;
  }

  finish(): void {
    this.finished = true;
  }

  async check(): Promise<void> {
    if (!this.finished) throw new Error(`still starting: ${this.current}`);
  }
}
