import { ErrorCode, MAX_PACKET_BYTES, MessageSendSchema, ProtocolError } from '@chat/contracts';
import { RefusedPayload } from '../limits/refused-payload';
import { answer, parsePayload } from './ack';

describe('answer', () => {
  it('tells the observer each ack and how long it took', async () => {
    const observe = jest.fn();
    await answer(async () => ({}), 1000, jest.fn(), observe);
    await answer(async () => {
      throw new ProtocolError(ErrorCode.RATE_LIMITED, 'slow down');
    }, 1000, jest.fn(), observe);
    expect(observe.mock.calls.map(([ack]) => (ack.ok ? 'ok' : ack.error.code))).toEqual(['ok', 'RATE_LIMITED']);
    for (const [, seconds] of observe.mock.calls) expect(seconds).toBeGreaterThanOrEqual(0);
  });

  it('wraps a result in an ok ack', async () => {
    await expect(answer(async () => ({ roomId: 'r' }), 1000, jest.fn())).resolves.toEqual({ ok: true, roomId: 'r' });
  });

  it('turns a protocol error into an error ack', async () => {
    const ack = await answer(async () => {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'no');
    }, 1000, jest.fn());
    expect(ack).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'no', retryable: false } });
  });

  it('hides an unexpected error behind INTERNAL and reports it', async () => {
    const report = jest.fn();
    const ack = await answer(async () => {
      throw new Error('boom');
    }, 1000, report);
    expect(ack).toMatchObject({ ok: false, error: { code: 'INTERNAL', retryable: false } });
    expect(report).toHaveBeenCalled();
  });

  it('answers UNAVAILABLE (retryable) when the work outlives the timeout', async () => {
    const ack = await answer(() => new Promise<object>(() => undefined), 20, jest.fn());
    expect(ack).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', retryable: true } });
  });
});

describe('parsePayload', () => {
  const valid = { roomId: 'general', clientMsgId: 'c1', body: 'hi' };

  it('returns the parsed payload', () => {
    expect(parsePayload(MessageSendSchema, valid)).toEqual(valid);
  });

  it.each([
    ['no payload', undefined],
    ['a string', 'hello'],
    ['an array', []],
    ['an empty body', { ...valid, body: '' }],
    ['a bad room', { ...valid, roomId: 'Bad Room' }],
    ['an unknown field', { ...valid, extra: 1 }],
    ['a number body', { ...valid, body: 5 }],
  ])('rejects %s with INVALID_PAYLOAD', (_label, payload) => {
    expect(() => parsePayload(MessageSendSchema, payload)).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_PAYLOAD }),
    );
  });

  it('rejects a body over 4000 characters with PAYLOAD_TOO_LARGE', () => {
    expect(() => parsePayload(MessageSendSchema, { ...valid, body: 'x'.repeat(4001) })).toThrow(
      expect.objectContaining({ code: ErrorCode.PAYLOAD_TOO_LARGE }),
    );
  });

  it('measures the 64 KiB in UTF-8 bytes, whatever the payload type', () => {
    expect(() => parsePayload(MessageSendSchema, { ...valid, padding: 'é'.repeat(40_000) })).toThrow(
      expect.objectContaining({ code: ErrorCode.PAYLOAD_TOO_LARGE }),
    );
    expect(() => parsePayload(MessageSendSchema, 'x'.repeat(70_000))).toThrow(
      expect.objectContaining({ code: ErrorCode.PAYLOAD_TOO_LARGE }),
    );
  });

  it('rejects a payload over 64 KiB with PAYLOAD_TOO_LARGE', () => {
    expect(() => parsePayload(MessageSendSchema, { ...valid, padding: 'x'.repeat(70_000) })).toThrow(
      expect.objectContaining({ code: ErrorCode.PAYLOAD_TOO_LARGE }),
    );
  });
});

describe('parsePayload bounds', () => {
  const nested = (depth: number) => {
    let value: unknown = {};
    for (let i = 1; i < depth; i++) value = { roomId: value };
    return value;
  };

  it('rejects a payload nested 10,000 deep with INVALID_PAYLOAD, not a stack overflow', () => {
    expect(() => parsePayload(MessageSendSchema, nested(10_000))).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_PAYLOAD }));
  });

  it('rejects a payload of more values than the byte limit with PAYLOAD_TOO_LARGE before serializing it', () => {
    expect(() => parsePayload(MessageSendSchema, new Array(MAX_PACKET_BYTES + 1).fill(0))).toThrow(
      expect.objectContaining({ code: ErrorCode.PAYLOAD_TOO_LARGE }),
    );
  });

  it('answers with the code of a payload the decoder refused', () => {
    expect(() => parsePayload(MessageSendSchema, new RefusedPayload(ErrorCode.PAYLOAD_TOO_LARGE, 'too big'))).toThrow(
      expect.objectContaining({ code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'too big' }),
    );
  });

  it('refuses what JSON cannot hold with INVALID_PAYLOAD', () => {
    expect(() => parsePayload(MessageSendSchema, { body: 1n })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_PAYLOAD }));
  });
});
