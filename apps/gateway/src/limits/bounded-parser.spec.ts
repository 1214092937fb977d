import { Encoder, Packet, PacketType } from 'socket.io-parser';
import { ErrorCode, MAX_PACKET_BYTES, MAX_PAYLOAD_DEPTH } from '@chat/contracts';
import { BoundedDecoder, exceedsDepth } from './bounded-parser';
import { RefusedPayload } from './refused-payload';

/** What a socket.io-client sends for this event, frame by frame. */
function framesOf(data: unknown[], id = 7): Array<string | Buffer> {
  return new Encoder().encode({ type: PacketType.EVENT, nsp: '/chat', id, data }) as Array<string | Buffer>;
}

function decode(frames: Array<string | Buffer>): Packet[] {
  const decoder = new BoundedDecoder();
  const packets: Packet[] = [];
  decoder.on('decoded', (packet: Packet) => packets.push(packet));
  for (const frame of frames) decoder.add(frame);
  return packets;
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('BoundedDecoder', () => {
  it('decodes an ordinary event as socket.io-parser does', () => {
    const payload = { roomId: 'general', text: 'brackets in strings: [[[{{{' };
    expect(decode(framesOf(['room:join', payload]))).toEqual([{ type: PacketType.EVENT, nsp: '/chat', id: 7, data: ['room:join', payload] }]);
  });

  it('passes a payload at the depth limit and refuses one nested 10,000 deep, keeping the event and ack id', () => {
    const [atLimit] = decode(framesOf(['typing', nested(MAX_PAYLOAD_DEPTH)]));
    expect(atLimit?.data[1]).toEqual(nested(MAX_PAYLOAD_DEPTH));
    // Written out: socket.io-parser's own encoder overflows the stack on it (hasBinary recurses).
    const [packet] = decode([`2/chat,9["typing",${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}]`]);
    expect(packet).toMatchObject({ type: PacketType.EVENT, nsp: '/chat', id: 9, data: ['typing', expect.any(RefusedPayload)] });
    expect(packet?.data[1]).toMatchObject({ code: ErrorCode.INVALID_PAYLOAD });
  });

  it('refuses a packet far over the size limit unparsed, with PAYLOAD_TOO_LARGE', () => {
    const [packet] = decode(framesOf(['message:send', { pad: 'x'.repeat(MAX_PACKET_BYTES * 2) }]));
    expect(packet?.data).toEqual(['message:send', new RefusedPayload(ErrorCode.PAYLOAD_TOO_LARGE, expect.any(String))]);
  });

  it('refuses an event with 500 binary attachments, drops them unread and decodes what follows', () => {
    const attachments = Array.from({ length: 500 }, (_, i) => Buffer.from([i % 256]));
    const frames = [...framesOf(['message:send', { parts: attachments }], 3), ...framesOf(['room:leave', { roomId: 'r' }], 4)];
    expect(frames.length).toBe(502);
    const packets = decode(frames);
    expect(packets).toHaveLength(2);
    expect(packets[0]).toMatchObject({ id: 3, data: ['message:send', { code: ErrorCode.INVALID_PAYLOAD }] });
    expect(packets[0]?.data[1]).toBeInstanceOf(RefusedPayload);
    expect(packets[1]).toEqual({ type: PacketType.EVENT, nsp: '/chat', id: 4, data: ['room:leave', { roomId: 'r' }] });
  });

  it('drops a binary ack (no client is ever asked for one)', () => {
    const frames = new Encoder().encode({ type: PacketType.ACK, nsp: '/chat', id: 1, data: [Buffer.from('x')] }) as Array<string | Buffer>;
    expect(decode(frames)).toEqual([]);
  });

  it('still throws, as socket.io-parser does, on a refused packet that names no usable event', () => {
    expect(() => decode([`2/chat,1[${'['.repeat(100)}`])).toThrow('invalid payload');
    expect(() => decode(framesOf(['disconnect', Buffer.from('x')]))).toThrow('invalid payload');
  });
});

describe('exceedsDepth', () => {
  it.each([
    ['[]', 1, false],
    ['[[]]', 1, true],
    ['{"a":[1,{"b":2}]}', 3, false],
    ['{"a":[1,{"b":2}]}', 2, true],
    ['["[[[[\\"{{{{"]', 1, false],
  ])('%s with max %i: %s', (json, max, expected) => {
    expect(exceedsDepth(json, max)).toBe(expected);
  });
});
