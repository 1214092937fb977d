/**
 * Whether the gateway takes new connections and sends: only between the end of its start-up
 * and the start of its shutdown. Before start-up ends its fan-out consumer is not running yet,
 * so a socket that joined then would miss what is written meanwhile (no history read covers
 * it); refused, the client retries (UNAVAILABLE) and lands here, or elsewhere, once it is ready.
 */
export class DrainState {
  private open = false;
  private draining = false;

  get accepting(): boolean {
    return this.open && !this.draining;
  }

  /** Start-up is complete: consumers run, producers are connected. */
  openForClients(): void {
    this.open = true;
  }

  startDraining(): void {
    this.draining = true;
  }
}
