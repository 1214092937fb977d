import { z } from 'zod';
import { Ack, ErrorCode, MAX_BODY_LENGTH, MAX_PACKET_BYTES, ProtocolError } from '@chat/contracts';

/** Answers every client event with an ack: the result, or the protocol error it failed with. */
export async function answer<T extends object>(
  work: () => Promise<T>,
  timeoutMs: number,
  onUnexpected: (error: unknown) => void,
): Promise<Ack<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProtocolError(ErrorCode.UNAVAILABLE, 'the request did not complete in time; retry it')),
      timeoutMs,
    );
  });
  try {
    const result = await Promise.race([work(), timeout]);
    return { ok: true, ...result };
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, error: error.toBody() };
    onUnexpected(error);
    return { ok: false, error: new ProtocolError(ErrorCode.INTERNAL, 'internal error').toBody() };
  } finally {
    clearTimeout(timer);
  }
}

/** Validates a client payload against its schema, with the size rules of protocol v1 first. */
export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const body = (payload as { body?: unknown } | null)?.body;
  if (typeof body === 'string' && body.length > MAX_BODY_LENGTH) {
    throw new ProtocolError(ErrorCode.PAYLOAD_TOO_LARGE, `body is longer than ${MAX_BODY_LENGTH} characters`);
  }
  // Measured in UTF-8 bytes, as the packet is; only payloads that could be that big pay for it.
  const serialized = payload === undefined ? '' : JSON.stringify(payload);
  if (serialized.length * 3 > MAX_PACKET_BYTES && Buffer.byteLength(serialized) > MAX_PACKET_BYTES) {
    throw new ProtocolError(ErrorCode.PAYLOAD_TOO_LARGE, `payload is larger than ${MAX_PACKET_BYTES} bytes`);
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new ProtocolError(ErrorCode.INVALID_PAYLOAD, z.prettifyError(parsed.error));
  return parsed.data;
}
