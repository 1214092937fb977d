import { z } from 'zod';
import { Ack, ErrorCode, ProtocolError } from '@chat/contracts';
import { assertPayloadBounds } from '../limits/payload-bounds';

/** Answers every client event with an ack: the result, or the protocol error it failed with. */
export async function answer<T extends object>(
  work: () => Promise<T>,
  timeoutMs: number,
  onUnexpected: (error: unknown) => void,
  observe?: (ack: Ack<T>, seconds: number) => void,
): Promise<Ack<T>> {
  const started = process.hrtime.bigint();
  const ack = await settle(work, timeoutMs, onUnexpected);
  observe?.(ack, Number(process.hrtime.bigint() - started) / 1e9);
  return ack;
}

async function settle<T extends object>(work: () => Promise<T>, timeoutMs: number, onUnexpected: (error: unknown) => void): Promise<Ack<T>> {
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
  assertPayloadBounds(payload);
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new ProtocolError(ErrorCode.INVALID_PAYLOAD, z.prettifyError(parsed.error));
  return parsed.data;
}
