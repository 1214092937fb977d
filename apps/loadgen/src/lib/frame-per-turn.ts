import WebSocket from 'ws';

type FrameHandler = (event: { data: WebSocket.RawData | string }) => void;

/**
 * Hands frames to a handler one per macrotask. centrifuge 5.7.4 starts dispatching a frame's
 * replies before the previous frame's have all been emitted when several frames arrive in one
 * turn of the event loop (it replaces its dispatch promise inside the callback that should
 * wait for it), so under load publications of one channel reached the load generator out of
 * offset order, while a plain ws reader of the same channel saw them in order. Its dispatch of
 * one frame finishes in microtasks, so a turn per frame restores the server's order.
 */
export class FramePerTurn {
  private readonly frames: (WebSocket.RawData | string)[] = [];
  private scheduled = false;
  handler: FrameHandler | null = null;

  constructor(private readonly nextTurn: (run: () => void) => void = setImmediate) {}

  push(frame: WebSocket.RawData | string): void {
    this.frames.push(frame);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.nextTurn(() => {
      this.scheduled = false;
      const frame = this.frames.shift();
      if (frame !== undefined) this.handler?.({ data: frame });
      if (this.frames.length > 0) this.schedule();
    });
  }
}

/**
 * The `websocket` constructor given to centrifuge: a ws socket whose `onmessage` is fed through
 * FramePerTurn (text frames as strings, as a browser WebSocket gives them).
 */
export function FramePerTurnWebSocket(url: string, protocols?: string | string[]): WebSocket {
  const socket = new WebSocket(url, protocols);
  const frames = new FramePerTurn();
  socket.on('message', (data, isBinary) => frames.push(isBinary ? data : data.toString()));
  Object.defineProperty(socket, 'onmessage', {
    configurable: true,
    get: () => frames.handler,
    set: (handler: FrameHandler | null) => {
      frames.handler = handler;
    },
  });
  return socket;
}
