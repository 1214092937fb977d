import { ChatMessagesTopic } from './chat-messages.topic';
import { OpsLogsTopic } from './ops-logs.topic';
import { HistoryRepliesTopic, HistoryRequestsTopic } from './history.topic';
import { PresenceChangesTopic, PresenceEventsTopic } from './presence.topic';
import { ChatSignalsTopic } from './signals.topic';
import { dlqName } from './topic';

export interface TopicSpec {
  name: string;
  partitions: number;
  config: Readonly<Record<string, string>>;
}

const THIRTY_DAYS_MS = String(30 * 24 * 60 * 60 * 1000);

function dlqOf(topic: TopicSpec): TopicSpec {
  return { name: dlqName(topic), partitions: 1, config: { 'retention.ms': THIRTY_DAYS_MS } };
}

/** Every topic the platform uses: the admin step creates exactly these at start-up. */
export const ALL_TOPICS: readonly TopicSpec[] = [
  ChatMessagesTopic,
  dlqOf(ChatMessagesTopic),
  HistoryRequestsTopic,
  dlqOf(HistoryRequestsTopic),
  HistoryRepliesTopic,
  ChatSignalsTopic,
  dlqOf(ChatSignalsTopic),
  PresenceEventsTopic,
  dlqOf(PresenceEventsTopic),
  PresenceChangesTopic,
  OpsLogsTopic,
];
