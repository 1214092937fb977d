import type { Server } from 'node:http';

/**
 * Stops accepting connections, lets requests in progress finish, and closes idle keep-alive
 * connections at once; whatever is still open after `graceMs` is cut.
 */
export function shutdownGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close((error) => {
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
