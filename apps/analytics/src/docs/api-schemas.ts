import type { SchemaObject } from '@nestjs/swagger';

// The OpenAPI shapes of the views in src/query (SummaryView, RoomView, ErrorsView); the int test
// compares their property names with real responses, so a field added there fails until added here.

const int = (description?: string): SchemaObject => ({ type: 'integer', minimum: 0, ...(description && { description }) });
const num = (description?: string): SchemaObject => ({ type: 'number', minimum: 0, ...(description && { description }) });
const object = (properties: Record<string, SchemaObject>, description?: string): SchemaObject => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  ...(description && { description }),
});
const isoTime: SchemaObject = { type: 'string', format: 'date-time' };
const counts = object({ messages: int(), bytes: int('UTF-8 bytes of the bodies'), typing: int(), receipts: int() });
const levelCounts = object({ error: int(), warn: int(), fatal: int(), total: int() });
const servicesLevels: SchemaObject = { type: 'object', additionalProperties: levelCounts, description: 'per service (ops.logs.v1 `service`)' };

export const SummarySchema = object({
  at: isoTime,
  total: counts,
  ratesPerSecond: object(
    { messages: num(), bytes: num(), typing: num(), receipts: num() },
    'average over the last 10 full seconds (the current one is still filling)',
  ),
  onlineNow: int('users online now'),
  distinctSenders5m: int('distinct senders in the last 5 minutes (HyperLogLog, ~0.81% standard error)'),
  topRooms5m: { type: 'array', maxItems: 10, items: object({ roomId: { type: 'string' }, messages: int() }) },
  delay5m: object(
    {
      count: int(),
      p50Ms: { type: 'number', nullable: true },
      p99Ms: { type: 'number', nullable: true },
      relativeError: num('quantiles are within this relative error'),
    },
    'delivery delay, sentAt to consumed by analytics, over the last 5 minutes; null without messages',
  ),
  errors5m: servicesLevels,
  seconds: {
    type: 'array',
    description: 'the last 5 minutes per second, oldest first',
    items: object({ second: isoTime, messages: int(), online: { type: 'integer', nullable: true, description: 'as last sampled in that second' } }),
  },
});

export const RoomSchema = object({
  roomId: { type: 'string' },
  total: object({ messages: int(), bytes: int() }),
  messages: object({ last1m: int(), last5m: int(), last60m: int() }),
  distinctSenders: object({ last5m: int(), last60m: int() }),
  series: { type: 'array', description: 'messages per minute, last 60 minutes, oldest first', items: object({ minute: isoTime, messages: int() }) },
});

export const ErrorsSchema = object({
  windowMinutes: int(),
  services: servicesLevels,
  topMessages: {
    type: 'array',
    maxItems: 10,
    items: object({ service: { type: 'string' }, level: { type: 'string' }, message: { type: 'string' }, count: int() }),
  },
});

export const ErrorSchema = object({ statusCode: int(), message: { type: 'string', description: 'the reason' }, error: { type: 'string' } });
