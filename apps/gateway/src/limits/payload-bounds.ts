import { ErrorCode, MAX_BODY_LENGTH, MAX_PACKET_BYTES, MAX_PAYLOAD_DEPTH, ProtocolError } from '@chat/contracts';
import { RefusedPayload } from './refused-payload';

/**
 * The size rules of protocol v1, checked before any recursive work on the payload: its depth and
 * its count of values are walked iteratively and the walk stops at the first bound crossed, so
 * JSON.stringify (recursive) only ever sees a payload of bounded depth.
 */
export function assertPayloadBounds(payload: unknown): void {
  if (payload instanceof RefusedPayload) throw new ProtocolError(payload.code, payload.reason);
  const body = (payload as { body?: unknown } | null)?.body;
  if (typeof body === 'string' && body.length > MAX_BODY_LENGTH) {
    throw new ProtocolError(ErrorCode.PAYLOAD_TOO_LARGE, `body is longer than ${MAX_BODY_LENGTH} characters`);
  }
  walkBounded(payload);
  let serialized: string | undefined;
  try {
    serialized = JSON.stringify(payload);
  } catch {
    // Only a caller inside the process can pass what JSON cannot hold (a BigInt): not a payload.
    throw new ProtocolError(ErrorCode.INVALID_PAYLOAD, 'payload is not JSON');
  }
  // Measured in UTF-8 bytes, as the packet is; only payloads that could be that big pay for it.
  const length = serialized?.length ?? 0;
  if (serialized && length * 3 > MAX_PACKET_BYTES && Buffer.byteLength(serialized) > MAX_PACKET_BYTES) {
    throw new ProtocolError(ErrorCode.PAYLOAD_TOO_LARGE, `payload is larger than ${MAX_PACKET_BYTES} bytes`);
  }
}

/** Every JSON value takes at least a byte: more values than the byte limit is too large. */
function walkBounded(payload: unknown): void {
  const stack: Array<[unknown, number]> = [[payload, 0]];
  let values = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (++values > MAX_PACKET_BYTES) throw new ProtocolError(ErrorCode.PAYLOAD_TOO_LARGE, `payload is larger than ${MAX_PACKET_BYTES} bytes`);
    if (value === null || typeof value !== 'object') continue;
    if (depth + 1 > MAX_PAYLOAD_DEPTH) {
      throw new ProtocolError(ErrorCode.INVALID_PAYLOAD, `payload is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
    }
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
}
