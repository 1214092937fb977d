import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS } from '@chat/contracts';
import { devTopicsJob, GENERATED_FILES, strimziTopics } from './k8s-gen';
import { read, REPO, yamlDoc, yamlDocs } from './repo-facts';

const generated: Record<keyof typeof GENERATED_FILES, string> = {
  devTopicsJob: devTopicsJob(ALL_TOPICS),
  strimziTopics: strimziTopics(ALL_TOPICS),
};

describe('manifests generated from libs/contracts', () => {
  if (process.env['UPDATE_GENERATED'] === '1') {
    for (const [key, path] of Object.entries(GENERATED_FILES)) writeFileSync(join(REPO, path), generated[key as keyof typeof GENERATED_FILES]);
  }

  it.each(Object.entries(GENERATED_FILES))('%s: the committed %s is what ALL_TOPICS generates (UPDATE_GENERATED=1 to rewrite)', (key, path) => {
    expect(read(path)).toBe(generated[key as keyof typeof GENERATED_FILES]);
  });

  it('the dev Job creates every topic with its partitions and configs', () => {
    const script = yamlDoc(GENERATED_FILES.devTopicsJob)['spec']['template']['spec']['containers'][0]['command'][2] as string;
    for (const topic of ALL_TOPICS) {
      const line = script.split('\n').find((l) => l.startsWith(`create --topic ${topic.name} `));
      expect([topic.name, line?.includes(`--partitions ${topic.partitions}`)]).toEqual([topic.name, true]);
      for (const [key, value] of Object.entries(topic.config)) expect(line).toContain(`--config ${key}=${value}`);
    }
    expect(script.split('\n').filter((l) => l.startsWith('create --topic'))).toHaveLength(ALL_TOPICS.length);
  });

  it('one Strimzi KafkaTopic per topic, same name, partitions and configs', () => {
    const topics = yamlDocs(GENERATED_FILES.strimziTopics);
    expect(topics.map((t) => t['spec']['topicName'])).toEqual(ALL_TOPICS.map((t) => t.name));
    for (const topic of ALL_TOPICS) {
      const doc = topics.find((t) => t['spec']['topicName'] === topic.name);
      expect(doc?.['spec']['partitions']).toBe(topic.partitions);
      expect(doc?.['spec']['config']).toMatchObject(topic.config);
    }
  });
});
