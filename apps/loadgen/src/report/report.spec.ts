import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickLatest } from './compare';
import { DOC_END, DOC_START, readResults, spliceBetweenMarkers, systemsWithResults } from './report';
import { chatResult, rampResult } from '../testing/fixtures';

describe('report files', () => {
  it('replaces only what is between the markers', () => {
    const doc = `# Title\n\nintro\n\n${DOC_START}\nold tables\n${DOC_END}\n\nanalysis\n`;
    const { text, replaced } = spliceBetweenMarkers(doc, '| new |\n');
    expect(replaced).toBe(true);
    expect(text).toBe(`# Title\n\nintro\n\n${DOC_START}\n\n| new |\n\n${DOC_END}\n\nanalysis\n`);
    expect(spliceBetweenMarkers(text, 'again').text).toContain(`${DOC_START}\n\nagain\n\n${DOC_END}`);
  });

  it('leaves a document without markers alone', () => {
    expect(spliceBetweenMarkers('# nothing here', 'x')).toEqual({ text: '# nothing here', replaced: false });
  });

  it('reads only loadgen results from a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadgen-report-'));
    writeFileSync(join(dir, 'chat-platform.json'), JSON.stringify(chatResult('platform', 10)));
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ hello: 'world' }));
    writeFileSync(join(dir, 'notes.txt'), 'not json');
    expect(readResults(dir).map((r) => r.label)).toEqual(['platform']);
  });
  it('compares the wanted systems that have results, in the order asked', () => {
    const latest = pickLatest([chatResult('centrifugo', 5), rampResult('platform', 100)]);
    expect(systemsWithResults(latest, ['platform', 'peer', 'centrifugo'])).toEqual(['platform', 'centrifugo']);
  });
});
