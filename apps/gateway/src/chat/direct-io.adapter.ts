import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { ServerOptions } from 'socket.io';
import { OriginPolicy } from '../auth/origin-policy';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';

type Ack = (response: unknown) => void;
/** The Socket of the socket.io copy Nest's adapter is built on. */
type Socket = Parameters<IoAdapter['bindMessageHandlers']>[0];

/**
 * Nest's IoAdapter builds, for every socket and every @SubscribeMessage handler, an rxjs
 * pipeline (fromEvent → mergeMap → takeUntil(disconnect$)) that lives as long as the socket:
 * measured at ~25–30 KiB per idle socket for six handlers, more than Socket.IO's own state
 * (docs/benchmarks.md). This adapter registers the same handlers with plain `socket.on`, so a
 * socket costs one listener per event. Handlers must return a value or a promise (ours return
 * acks), not an Observable.
 */
export class DirectIoAdapter extends IoAdapter {
  constructor(
    private readonly app: INestApplicationContext | undefined,
    private readonly onHandlerError: (error: unknown, event: string) => void,
    /** Told of every client event that reaches a handler (gateway_events_received_total). */
    private readonly onEvent: (event: string) => void = () => undefined,
  ) {
    super(app);
  }

  /** Decorator options are static: the origin allow-list comes from the app's config here. */
  override createIOServer(port: number, options?: Partial<ServerOptions>): unknown {
    if (!this.app) throw new Error('DirectIoAdapter needs the application to read GATEWAY_ALLOWED_ORIGINS');
    const config = this.app.get<GatewayConfig>(GATEWAY_CONFIG);
    return super.createIOServer(port, { ...options, ...new OriginPolicy(config.GATEWAY_ALLOWED_ORIGINS).serverOptions() });
  }

  // Nest's third argument, a transform of results into Observables, is the per-event cost avoided here.
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[]): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      const event = String(message);
      socket.on(event, (...args: unknown[]) => {
        this.onEvent(event);
        // The same argument shapes as rxjs fromEvent hands to IoAdapter.mapPayload.
        const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args) as { data: unknown; ack?: Ack };
        // A handler that throws synchronously becomes a rejection, not an exception in Socket.IO's emit.
        new Promise((resolve) => resolve(callback(data, ack))).then(
          (response: unknown) => this.respond(socket, response, isAckHandledManually ? undefined : ack),
          (error: unknown) => this.onHandlerError(error, event),
        );
      });
    }
  }

  private respond(socket: Socket, response: unknown, ack: Ack | undefined): void {
    if (response === undefined || response === null) return;
    const reply = response as { event?: unknown; data?: unknown };
    if (typeof reply.event === 'string') {
      socket.emit(reply.event, reply.data);
      return;
    }
    ack?.(response);
  }
}
