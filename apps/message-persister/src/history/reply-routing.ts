import type { IHeaders } from 'kafkajs';
import { HistoryRepliesTopic, ReplyHeaders } from '@chat/contracts';

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** Where the reply to a request goes, or why it cannot be answered at all. */
export type ReplyRoute = { ok: true; correlationId: string; partition?: number } | { ok: false; problem: string };

/**
 * A reply needs a correlation id, must go to the contract's reply topic, and to one of its
 * partitions when the requester names one: anything else is a request nobody can be answered on.
 */
export function replyRoute(headers: IHeaders | undefined): ReplyRoute {
  const correlationId = header(headers, ReplyHeaders.CorrelationId);
  if (!correlationId) return { ok: false, problem: `no ${ReplyHeaders.CorrelationId} header: the request cannot be answered` };
  const topic = header(headers, ReplyHeaders.ReplyTopic);
  if (topic !== HistoryRepliesTopic.name) {
    return { ok: false, problem: `${ReplyHeaders.ReplyTopic} ${JSON.stringify(topic ?? null)} is not ${HistoryRepliesTopic.name}` };
  }
  const partition = header(headers, ReplyHeaders.ReplyPartition);
  if (partition === undefined) return { ok: true, correlationId };
  if (!(/^\d{1,5}$/.test(partition) && Number(partition) < HistoryRepliesTopic.partitions)) {
    return { ok: false, problem: `${ReplyHeaders.ReplyPartition} ${JSON.stringify(partition)} is not a partition of ${HistoryRepliesTopic.name}` };
  }
  return { ok: true, correlationId, partition: Number(partition) };
}
