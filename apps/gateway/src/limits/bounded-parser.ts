import { Decoder, Encoder, Packet, PacketType, protocol } from 'socket.io-parser';
import { ErrorCode, MAX_PACKET_BYTES, MAX_PAYLOAD_DEPTH } from '@chat/contracts';
import { RefusedPayload } from './refused-payload';

/** The args array of an event adds one level to its payload's depth. */
const MAX_PACKET_DEPTH = MAX_PAYLOAD_DEPTH + 1;
// Room for `["<event name>",` around the payload: a larger packet's payload is surely too large.
const MAX_EVENT_NAME_CHARS = 256;
const MAX_PACKET_CHARS = MAX_PACKET_BYTES + 4 * MAX_EVENT_NAME_CHARS;
// type, attachments ("5" and "6" only), namespace, ack id: socket.io-parser's packet header.
const HEADER = /^([0-6])(?:(\d+)-)?(\/[^,]*,)?(\d*)/;
// socket.io-parser's reserved names: an event by one of these would be emitted as that name.
const RESERVED_EVENTS = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
const EVENT_NAME = new RegExp(`^\\[\\s*("(?:[^"\\\\]|\\\\.){0,${MAX_EVENT_NAME_CHARS}}")`);

/**
 * socket.io-parser's Decoder, bounded before it parses. Packets it refuses reach their handler
 * as a RefusedPayload (answered with an error ack) instead of closing the connection, which is
 * what Socket.IO does with any decoder error:
 * - binary attachments: no event takes one, so none is reassembled (the stock decoder drops a
 *   connection that announces more than 10, and rebuilds the payload recursively);
 * - a payload nested deeper than MAX_PAYLOAD_DEPTH (JSON.stringify of it overflows the stack);
 * - a packet far over MAX_PACKET_BYTES, refused without parsing it.
 */
export class BoundedDecoder extends Decoder {
  override add(chunk: unknown): void {
    // The attachments of a refused binary event (and any stray binary frame) are dropped unread.
    if (typeof chunk !== 'string') return;
    const header = HEADER.exec(chunk);
    const type = Number(header?.[1]);
    const binary = type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK;
    if (!header || (type !== PacketType.EVENT && !binary) || (header[2] !== undefined) !== binary) return super.add(chunk);
    // Clients are never asked for acks: a binary one has nobody waiting for it.
    if (type === PacketType.BINARY_ACK) return;
    const json = chunk.slice(header[0].length);
    const refusal = refusalOf(type, json);
    if (!refusal) return super.add(chunk);
    const event = eventNameOf(json);
    if (event === undefined) throw new Error('invalid payload'); // not an event at all: as the stock decoder does
    const packet: Packet = {
      type: PacketType.EVENT,
      nsp: header[3] ? header[3].slice(0, -1) : '/',
      data: [event, refusal],
      ...(header[4] ? { id: Number(header[4]) } : {}),
    };
    this.emitReserved('decoded', packet);
  }
}

function refusalOf(type: number, json: string): RefusedPayload | undefined {
  if (type === PacketType.BINARY_EVENT) return new RefusedPayload(ErrorCode.INVALID_PAYLOAD, 'binary attachments are not accepted');
  if (json.length > MAX_PACKET_CHARS) return new RefusedPayload(ErrorCode.PAYLOAD_TOO_LARGE, `payload is larger than ${MAX_PACKET_BYTES} bytes`);
  if (exceedsDepth(json, MAX_PACKET_DEPTH)) {
    return new RefusedPayload(ErrorCode.INVALID_PAYLOAD, `payload is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  }
  return undefined;
}

/** Whether JSON text nests objects and arrays deeper than `max`, scanning without parsing. */
export function exceedsDepth(json: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function eventNameOf(json: string): string | undefined {
  const literal = EVENT_NAME.exec(json)?.[1];
  if (literal === undefined) return undefined;
  try {
    const name = JSON.parse(literal) as string;
    return RESERVED_EVENTS.has(name) ? undefined : name;
  } catch {
    return undefined;
  }
}

/** The `parser` server option: socket.io-parser with the bounded decoder. */
export const boundedParser = { protocol, PacketType, Encoder, Decoder: BoundedDecoder };
