import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AsyncAPIDocumentInterface, DiagnosticSeverity, Parser, SchemaInterface } from '@asyncapi/parser';
import { z } from 'zod';
import { ErrorCode, isRetryable } from './errors';
import { HistoryPageReplySchema, HistoryReplySchema, HistoryRequestSchema, ReadStateReplySchema } from './kafka/history.topic';
import { PresenceChangeSchema, PresenceEventSchema, PresenceStatusSchema } from './kafka/presence.topic';
import { ChatSignalSchema } from './kafka/signals.topic';
import { OpsLogLevelSchema, OpsLogRecordSchema } from './kafka/ops-logs.topic';
import { DeadLetterHeaders } from './kafka/topic';
import { ALL_TOPICS } from './kafka/topics';
import { MessageSchema } from './message';
import {
  ClientEvent,
  HistoryFetchSchema,
  MessageSendSchema,
  PresenceUpdate,
  ReceiptReadSchema,
  ReceiptUpdate,
  RoomJoinResult,
  RoomJoinSchema,
  RoomLeaveSchema,
  ServerEvent,
  TypingSchema,
  TypingUpdate,
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
  const propertiesOf = (s: SchemaInterface) => Object.keys(s.properties() ?? {}).sort();
  /** Keys of a TypeScript interface, from a literal the compiler holds to exactly those keys. */
  const keysOfInterface = <T>(sample: { [K in keyof Required<T>]: unknown }) => Object.keys(sample).sort();
  /** The variants of a documented oneOf, by the const of their discriminator property. */
  const variantsBy = (s: SchemaInterface, discriminator: string) =>
    new Map((s.oneOf() ?? []).map((variant) => [variant.properties()?.[discriminator]?.const() as string, variant]));
  /** The zod variants of a discriminated union, by discriminator value. */
  const zodVariantsBy = (options: readonly z.ZodObject[], discriminator: string) =>
    new Map(options.map((option) => [(option.shape[discriminator] as z.ZodLiteral).value as string, option]));
  /** What a headers schema requires, its own and through allOf. */
  const requiredHeaders = (s: SchemaInterface | undefined): string[] =>
    s ? [...(s.required() ?? []), ...(s.allOf() ?? []).flatMap(requiredHeaders)] : [];

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

  it.each(ALL_TOPICS.map((t) => [t.name, t.config] as const))('documents the topic configuration of %s as the admin step creates it', (name, config) => {
    const documented = (channelAt(name)?.bindings().get('kafka')?.value() as { topicConfiguration?: Record<string, unknown> }).topicConfiguration;
    const expected = Object.fromEntries(
      Object.entries(config).map(([key, value]) => [key, key === 'cleanup.policy' ? value.split(',') : Number(value)]),
    );
    expect(documented ?? {}).toEqual(expected);
  });

  it.each(ALL_TOPICS.map((t) => [t.name] as const))('documents the record key and, for a DLQ, the dead-letter headers of %s', (name) => {
    const messages = channelAt(name)?.messages().all() ?? [];
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message.bindings().get('kafka')?.value()).toHaveProperty('key');
      if (name.endsWith('.dlq')) expect(requiredHeaders(message.headers()).sort()).toEqual(expect.arrayContaining(Object.values(DeadLetterHeaders)));
    }
  });

  it('describes the dead-letter headers of the contracts, all required', () => {
    const headers = schema('DeadLetterHeaders');
    expect(propertiesOf(headers)).toEqual(Object.values(DeadLetterHeaders).sort());
    expect([...(headers.required() ?? [])].sort()).toEqual(Object.values(DeadLetterHeaders).sort());
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
    ['TypingRequest', TypingSchema],
    ['ReceiptReadRequest', ReceiptReadSchema],
  ] as const)('describes %s with the fields of its schema, and no others', (name, zodSchema) => {
    const request = schema(name);
    expect(Object.keys(request.properties() ?? {}).sort()).toEqual(keysOf(zodSchema));
    expect(request.additionalProperties()).toBe(false);
  });

  it('gives sentAt the millisecond precision of the contract', () => {
    const pattern = new RegExp(schema('SentAt').pattern() ?? '(?!)');
    const sentAt = MessageSchema.shape.sentAt;
    for (const sample of ['2026-11-24T10:00:00.000Z', '2026-11-24T10:00:00Z', '2026-11-24T10:00:00.123456Z', '2026-11-24T10:00:00.000+01:00']) {
      expect([sample, pattern.test(sample)]).toEqual([sample, sentAt.safeParse(sample).success]);
    }
    expect(schema('Timestamp').pattern()).toBe(schema('SentAt').pattern());
  });

  it('describes room:join\'s ok-ack with the fields of RoomJoinResult, readOffset and unread optional', () => {
    const ok = schema('RoomJoinOk');
    expect(propertiesOf(ok)).toEqual([...keysOfInterface<RoomJoinResult>({ roomId: 0, online: 0, messages: 0, readOffset: 0, unread: 0 }), 'ok'].sort());
    expect([...(ok.required() ?? [])].sort()).toEqual(['messages', 'ok', 'online', 'roomId']);
  });

  it.each([
    ['PresenceUpdate', keysOfInterface<PresenceUpdate>({ userId: 0, status: 0, lastSeenAt: 0 })],
    ['TypingUpdate', keysOfInterface<TypingUpdate>({ roomId: 0, userId: 0, typing: 0 })],
    ['ReceiptUpdate', keysOfInterface<ReceiptUpdate>({ roomId: 0, userId: 0, offset: 0 })],
  ] as const)('describes the server event payload %s with the fields of its type, all required', (name, keys) => {
    const payload = schema(name);
    expect(propertiesOf(payload)).toEqual(keys);
    expect([...(payload.required() ?? [])].sort()).toEqual(keys);
  });

  it('lists the presence statuses of the contracts', () => {
    expect(schema('PresenceStatus').enum()).toEqual(PresenceStatusSchema.options);
  });

  it.each([
    ['HistoryRequest', 'mode', HistoryRequestSchema.options],
    ['ChatSignal', 'type', ChatSignalSchema.options],
    ['PresenceEvent', 'type', PresenceEventSchema.options],
  ] as const)('describes every variant of %s with the fields of its schema, all required', (name, discriminator, options) => {
    const documented = variantsBy(schema(name), discriminator);
    const contract = zodVariantsBy(options as readonly z.ZodObject[], discriminator);
    expect([...documented.keys()].sort()).toEqual([...contract.keys()].sort());
    for (const [value, variant] of documented) {
      const keys = keysOf(contract.get(value) as z.ZodObject);
      expect([value, propertiesOf(variant)]).toEqual([value, keys]);
      expect([value, [...(variant.required() ?? [])].sort()]).toEqual([value, keys]);
    }
  });

  it('describes every variant of HistoryReply, the error with retryable', () => {
    const documented = schema('HistoryReply').oneOf() ?? [];
    const contract = HistoryReplySchema.options as readonly z.ZodObject[];
    expect(contract).toContain(HistoryPageReplySchema);
    expect(contract).toContain(ReadStateReplySchema);
    expect(documented.map(propertiesOf).sort()).toEqual(contract.map(keysOf).sort());
    for (const variant of documented) expect([...(variant.required() ?? [])].sort()).toEqual(propertiesOf(variant));
    expect(documented.some((v) => v.properties()?.['ok']?.const() === false && v.required()?.includes('retryable'))).toBe(true);
  });

  it('describes the presence change with the fields of PresenceChangeSchema, all required', () => {
    const change = schema('PresenceChange');
    expect(propertiesOf(change)).toEqual(keysOf(PresenceChangeSchema));
    expect([...(change.required() ?? [])].sort()).toEqual(keysOf(PresenceChangeSchema));
  });

  it('describes the ops.logs.v1 record with the fields of OpsLogRecordSchema, errorType and correlationId optional', () => {
    const record = schema('OpsLog');
    expect(propertiesOf(record)).toEqual(keysOf(OpsLogRecordSchema));
    const optional = ['correlationId', 'errorType'];
    expect([...(record.required() ?? [])].sort()).toEqual(keysOf(OpsLogRecordSchema).filter((k) => !optional.includes(k)));
    expect(schema('OpsLogLevel').enum()).toEqual(OpsLogLevelSchema.options);
  });
});
