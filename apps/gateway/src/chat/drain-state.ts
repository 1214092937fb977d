/** Flipped once on shutdown: from then on no new connection or send is accepted. */
export class DrainState {
  private draining = false;

  get accepting(): boolean {
    return !this.draining;
  }

  startDraining(): void {
    this.draining = true;
  }
}
