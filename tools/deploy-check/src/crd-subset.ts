import type { Doc } from './repo-facts';

/**
 * A documented subset of the operators' CRD schemas, for the examples under k8s/examples (no npm
 * package ships them, and their full CRDs are thousands of lines). Per kind: fields that must be
 * present with their type, and fields whose value must be one of a set. Sources:
 * - Strimzi 0.48, kafka.strimzi.io/v1beta2 (https://strimzi.io/docs/operators/0.48.0/configuring#api_reference):
 *   Kafka, KafkaNodePool, KafkaTopic, KafkaUser.
 * - CloudNativePG 1.27, postgresql.cnpg.io/v1 (https://cloudnative-pg.io/documentation/1.27/cloudnative-pg.v1/):
 *   Cluster, ScheduledBackup; Barman Cloud plugin 0.6, barmancloud.cnpg.io/v1: ObjectStore.
 * Unknown kinds fail: an example needs its subset written down here first.
 */
type FieldType = 'string' | 'integer' | 'object' | 'array' | 'boolean';
interface KindSubset {
  source: string;
  required: Record<string, FieldType>;
  oneOf?: Record<string, readonly unknown[]>;
  /** Paths of arrays whose every item must have these fields. */
  items?: Record<string, Record<string, FieldType>>;
  /** Paths of arrays whose items' fields, when present, must be one of a set. */
  oneOfItems?: Record<string, Record<string, readonly unknown[]>>;
}

const STRIMZI = 'Strimzi 0.48 kafka.strimzi.io/v1beta2 (documented subset)';
const CNPG = 'CloudNativePG 1.27 postgresql.cnpg.io/v1 (documented subset)';

export const CRD_SUBSETS: Record<string, KindSubset> = {
  'kafka.strimzi.io/v1beta2 Kafka': {
    source: STRIMZI,
    required: { 'spec.kafka': 'object', 'spec.kafka.listeners': 'array', 'spec.kafka.version': 'string', 'spec.entityOperator.topicOperator': 'object' },
    oneOf: { 'metadata.annotations.strimzi\\.io/node-pools': ['enabled'], 'metadata.annotations.strimzi\\.io/kraft': ['enabled'] },
    items: { 'spec.kafka.listeners': { name: 'string', port: 'integer', type: 'string', tls: 'boolean' } },
    oneOfItems: { 'spec.kafka.listeners': { 'authentication.type': ['tls', 'scram-sha-512', 'oauth', 'custom'] } },
  },
  'kafka.strimzi.io/v1beta2 KafkaNodePool': {
    source: STRIMZI,
    required: { 'metadata.labels.strimzi\\.io/cluster': 'string', 'spec.replicas': 'integer', 'spec.roles': 'array', 'spec.storage.type': 'string' },
    oneOf: { 'spec.storage.type': ['ephemeral', 'persistent-claim', 'jbod'] },
  },
  'kafka.strimzi.io/v1beta2 KafkaTopic': {
    source: STRIMZI,
    required: { 'metadata.labels.strimzi\\.io/cluster': 'string', 'spec.topicName': 'string', 'spec.partitions': 'integer', 'spec.replicas': 'integer', 'spec.config': 'object' },
  },
  'kafka.strimzi.io/v1beta2 KafkaUser': {
    source: STRIMZI,
    required: { 'metadata.labels.strimzi\\.io/cluster': 'string', 'spec.authentication.type': 'string' },
    oneOf: { 'spec.authentication.type': ['tls', 'tls-external', 'scram-sha-512'] },
  },
  'postgresql.cnpg.io/v1 Cluster': {
    source: CNPG,
    required: { 'spec.instances': 'integer', 'spec.storage.size': 'string', 'spec.bootstrap.initdb.database': 'string', 'spec.bootstrap.initdb.owner': 'string' },
    oneOf: { 'spec.primaryUpdateStrategy': ['unsupervised', 'supervised'] },
    items: { 'spec.plugins': { name: 'string' } },
  },
  'postgresql.cnpg.io/v1 ScheduledBackup': {
    source: CNPG,
    required: { 'spec.schedule': 'string', 'spec.cluster.name': 'string' },
    oneOf: { 'spec.method': ['barmanObjectStore', 'volumeSnapshot', 'plugin'], 'spec.backupOwnerReference': ['none', 'self', 'cluster'] },
  },
  'barmancloud.cnpg.io/v1 ObjectStore': {
    source: 'Barman Cloud plugin 0.6 barmancloud.cnpg.io/v1 (documented subset)',
    required: { 'spec.configuration.destinationPath': 'string' },
  },
};

/** a.b.c, with `\.` for a dot inside a key (annotation names). */
function get(doc: Doc, path: string): unknown {
  return path.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, '.')).reduce<unknown>((v, k) => (v as Doc | undefined)?.[k], doc);
}

function typeOf(value: unknown): FieldType | 'missing' | 'other' {
  if (value === undefined || value === null) return 'missing';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  if (['string', 'object', 'boolean'].includes(typeof value)) return typeof value as FieldType;
  return 'other';
}

/** The problems of one object against its subset, or undefined when no subset covers its kind. */
export function checkSubset(doc: Doc): { source: string; problems: string[] } | undefined {
  const subset = CRD_SUBSETS[`${doc['apiVersion']} ${doc['kind']}`];
  if (!subset) return undefined;
  const problems: string[] = [];
  for (const [path, type] of Object.entries(subset.required)) {
    if (typeOf(get(doc, path)) !== type) problems.push(`${path}: expected ${type}, got ${typeOf(get(doc, path))}`);
  }
  for (const [path, allowed] of Object.entries(subset.oneOf ?? {})) {
    const value = get(doc, path);
    if (value !== undefined && !allowed.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  }
  for (const [path, fields] of Object.entries(subset.items ?? {})) {
    ((get(doc, path) as Doc[] | undefined) ?? []).forEach((item, i) => {
      for (const [field, type] of Object.entries(fields)) {
        if (typeOf(item[field]) !== type) problems.push(`${path}[${i}].${field}: expected ${type}, got ${typeOf(item[field])}`);
      }
    });
  }
  for (const [path, fields] of Object.entries(subset.oneOfItems ?? {})) {
    ((get(doc, path) as Doc[] | undefined) ?? []).forEach((item, i) => {
      for (const [field, allowed] of Object.entries(fields)) {
        const value = get(item, field);
        if (value !== undefined && !allowed.includes(value)) problems.push(`${path}[${i}].${field}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
      }
    });
  }
  return { source: subset.source, problems };
}
