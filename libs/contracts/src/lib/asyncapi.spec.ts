import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AsyncAPIDocumentInterface, DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { z } from 'zod';
import { ErrorCode, isRetryable } from './errors';
import { ALL_TOPICS } from './kafka/topics';
import { MessageSchema } from './message';
import {
  ClientEvent,
  HistoryFetchSchema,
  MessageSendSchema,
  RoomJoinSchema,
  RoomLeaveSchema,
  ServerEvent,
} from './socket/events';

/** docs/asyncapi.yaml documents these contracts; this spec keeps the two from drifting apart. */
const ASYNCAPI_PATH = resolve(__dirname, '../../../../docs/asyncapi.yaml');

describe('docs/asyncapi.yaml', () => {
  let document: AsyncAPIDocumentInterface;
  let errors: string[];

  beforeAll(async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(readFileSync(ASYNCAPI_PATH, 'utf8'));
    errors = diagnostics
      .filter((d) => d.severity === DiagnosticSeverity.Error)
      .map((d) => `${d.path.join('.')}: ${d.message}`);
    if (parsed) document = parsed;
  });

  const channelAt = (address: string) => document.channels().all().find((c) => c.address() === address);
  const schema = (name: string) => {
    const found = document.components().schemas().get(name);
    if (!found) throw new Error(`components.schemas.${name} is missing`);
    return found;
  };
  const keysOf = (object: z.ZodObject) => Object.keys(object.shape).sort();

  it('is a valid AsyncAPI document', () => {
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
  });

  it.each(ALL_TOPICS.map((t) => [t.name, t.partitions] as const))('has a channel for topic %s with %i partitions', (name, partitions) => {
    const channel = channelAt(name);
    expect(channel).toBeDefined();
    expect(channel?.servers().all().map((s) => s.id())).toEqual(['kafka']);
    expect(channel?.bindings().get('kafka')?.value()).toMatchObject({ topic: name, partitions });
  });

  it.each(Object.values(ClientEvent))('has a channel for client event %s, received by the gateway with an ack reply', (event) => {
    const channel = channelAt(event);
    expect(channel).toBeDefined();
    const operations = channel?.operations().all() ?? [];
    expect(operations.some((op) => op.action() === 'receive' && op.reply() !== undefined)).toBe(true);
  });

  it.each(Object.values(ServerEvent))('has a channel for server event %s, sent by the gateway', (event) => {
    const channel = channelAt(event);
    expect(channel).toBeDefined();
    expect(channel?.operations().all().some((op) => op.action() === 'send')).toBe(true);
  });

  it('lists exactly the error codes of the contracts, and which are retryable', () => {
    const errorCode = schema('ErrorCode');
    expect(errorCode.enum()).toEqual(Object.values(ErrorCode));
    expect(errorCode.extensions().get('x-retryable')?.value()).toEqual(Object.values(ErrorCode).filter(isRetryable));
  });

  it('describes the Message with the fields of MessageSchema, all required', () => {
    const message = schema('Message');
    expect(Object.keys(message.properties() ?? {}).sort()).toEqual(keysOf(MessageSchema));
    expect([...(message.required() ?? [])].sort()).toEqual(keysOf(MessageSchema));
  });

  it.each([
    ['RoomJoinRequest', RoomJoinSchema],
    ['RoomLeaveRequest', RoomLeaveSchema],
    ['MessageSendRequest', MessageSendSchema],
    ['HistoryFetchRequest', HistoryFetchSchema],
  ] as const)('describes %s with the fields of its schema, and no others', (name, zodSchema) => {
    const request = schema(name);
    expect(Object.keys(request.properties() ?? {}).sort()).toEqual(keysOf(zodSchema));
    expect(request.additionalProperties()).toBe(false);
  });
});
