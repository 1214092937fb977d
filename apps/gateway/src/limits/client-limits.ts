import type { GatewayConfig } from '../config/gateway.config';
import { ConnectionLimits } from './connection-registry';

// A user with two tabs gets each its full rate; a user with twenty does not get twenty times it.
const USER_FACTOR = 2;

/** The connection and rate limits of a gateway's config, with the per-user defaults derived. */
export function clientLimits(config: GatewayConfig): ConnectionLimits {
  return {
    maxConnectionsPerUser: config.MAX_CONNECTIONS_PER_USER,
    perConnection: {
      send: { ratePerSec: config.SEND_RATE_PER_SEC, burst: config.SEND_BURST },
      events: { ratePerSec: config.EVENT_RATE_PER_SEC, burst: config.EVENT_BURST },
    },
    perUser: {
      send: {
        ratePerSec: config.USER_SEND_RATE_PER_SEC ?? USER_FACTOR * config.SEND_RATE_PER_SEC,
        burst: config.USER_SEND_BURST ?? USER_FACTOR * config.SEND_BURST,
      },
      events: {
        ratePerSec: config.USER_EVENT_RATE_PER_SEC ?? USER_FACTOR * config.EVENT_RATE_PER_SEC,
        burst: config.USER_EVENT_BURST ?? USER_FACTOR * config.EVENT_BURST,
      },
    },
  };
}
