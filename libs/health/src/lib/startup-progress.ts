import { Injectable } from '@nestjs/common';
import { ReadinessCheck } from './readiness-check';

/**
 * Not ready until the app says its start-up is complete: an app whose HTTP server listens
 * before its consumers run must not be sent traffic (or counted ready by an orchestrator) yet.
 */
@Injectable()
export class StartupProgress implements ReadinessCheck {
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
