import { ErrorCode } from '@chat/contracts';

/**
 * What a handler receives instead of a payload the packet decoder refused to build. JSON cannot
 * produce an instance of this class, so a client cannot forge one.
 */
export class RefusedPayload {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
  ) {}
}
