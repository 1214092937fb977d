import { stringify } from 'yaml';
import type { TopicSpec } from '@chat/contracts';
import type { Doc } from './repo-facts';

/**
 * Kubernetes manifests derived from libs/contracts' ALL_TOPICS, so the topics a cluster creates
 * are the ones the code declares (names, partitions, configs). generated.spec.ts checks the
 * committed files equal these; UPDATE_GENERATED=1 npx nx test deploy-check rewrites them.
 */
export const GENERATED_FILES = {
  devTopicsJob: 'k8s/overlays/dev/infra/kafka-topics.generated.yaml',
  strimziTopics: 'k8s/examples/strimzi/kafka-topics.generated.yaml',
} as const;

const HEADER = '# GENERATED from libs/contracts ALL_TOPICS by tools/deploy-check (k8s-gen.ts): do not edit.\n' +
  '# Regenerate: UPDATE_GENERATED=1 npx nx test deploy-check\n';

const toYaml = (docs: Doc[]): string => HEADER + docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');

const configArgs = (topic: TopicSpec): string =>
  Object.entries(topic.config).map(([key, value]) => ` --config ${key}=${value}`).join('');

/** The dev overlay's Job: kafka-topics.sh --create --if-not-exists for every topic, retried until Kafka answers. */
export function devTopicsJob(topics: readonly TopicSpec[]): string {
  const script = [
    'create() { /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BROKERS" --create --if-not-exists --replication-factor "$KAFKA_REPLICATION_FACTOR" "$@"; }',
    ...topics.map((t) => `create --topic ${t.name} --partitions ${t.partitions}${configArgs(t)}`),
    '',
  ].join('\n');
  const fromConfig = (name: string) => ({ name, valueFrom: { configMapKeyRef: { name: 'platform-config', key: name } } });
  return toYaml([{
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'kafka-topics', labels: { 'app.kubernetes.io/name': 'kafka-topics' } },
    spec: {
      backoffLimit: 30,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'kafka-topics' } },
        spec: {
          restartPolicy: 'OnFailure',
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'kafka-topics',
            image: 'apache/kafka:4.3.1',
            command: ['/bin/bash', '-ec', script],
            env: [fromConfig('KAFKA_BROKERS'), fromConfig('KAFKA_REPLICATION_FACTOR')],
            resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          }],
        },
      },
    },
  }]);
}

/** Strimzi KafkaTopics (kafka.strimzi.io/v1beta2) for the example cluster `chat` in namespace kafka. */
export function strimziTopics(topics: readonly TopicSpec[]): string {
  return toYaml(topics.map((t) => ({
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaTopic',
    metadata: { name: t.name, labels: { 'strimzi.io/cluster': 'chat' } },
    spec: {
      topicName: t.name,
      partitions: t.partitions,
      replicas: 3,
      // acks=all with 3 replicas: an acknowledged message survives one broker lost.
      config: { 'min.insync.replicas': 2, ...t.config },
    },
  })));
}
