import { ClientEvent, ErrorCode, ProtocolError } from '@chat/contracts';
import { TokenBucket } from '../rate-limit/token-bucket';

export interface RateSpec {
  ratePerSec: number;
  burst: number;
}

/** message:send has the protocol's own limit; every other client event shares the events limit. */
export interface RateLimits {
  send: RateSpec;
  events: RateSpec;
}

/** The buckets of one scope (a connection, or a user on this gateway). */
export class RateBuckets {
  readonly send: TokenBucket;
  readonly events: TokenBucket;

  constructor(limits: RateLimits, now: () => number = Date.now) {
    this.send = new TokenBucket(limits.send.ratePerSec, limits.send.burst, now);
    this.events = new TokenBucket(limits.events.ratePerSec, limits.events.burst, now);
  }

  bucketFor(event: ClientEvent): TokenBucket {
    return event === ClientEvent.MessageSend ? this.send : this.events;
  }
}

/**
 * Admits a connection's client events: a token from the connection's bucket, then from the
 * bucket its user shares with their other connections on this gateway. Every event takes a
 * token, valid or not, so garbage floods are limited too.
 */
export class EventRateLimiter {
  constructor(
    private readonly connection: RateBuckets,
    private readonly user: RateBuckets,
  ) {}

  admit(event: ClientEvent): void {
    if (!this.connection.bucketFor(event).tryTake()) {
      throw new ProtocolError(ErrorCode.RATE_LIMITED, `too many ${event} on this connection; slow down`);
    }
    if (!this.user.bucketFor(event).tryTake()) {
      throw new ProtocolError(ErrorCode.RATE_LIMITED, `too many ${event} from this user; slow down`);
    }
  }
}
