import { barChart, escapeXml, formatNumber, lineChart, logTicks, niceTicks, wrapSubtitle } from './svg';

describe('svg helpers', () => {
  it('picks nice ticks covering the range', () => {
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0, 0.35)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(5, 5).length).toBeGreaterThan(1);
    expect(logTicks(0.5, 300)).toEqual([0.1, 1, 10, 100, 1000]);
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
  });

  it('wraps long subtitles at their separators, in two lines at most', () => {
    expect(wrapSubtitle('', 20)).toEqual([]);
    expect(wrapSubtitle('short · also short', 40)).toEqual(['short · also short']);
    expect(wrapSubtitle('aaaaaaaaaa · bbbbbbbbbb · cccccccccc', 24)).toEqual(['aaaaaaaaaa · bbbbbbbbbb', 'cccccccccc']);
    expect(wrapSubtitle('a · b · c', 1)).toEqual(['a', 'b · c']);
  });

  it('escapes text and formats numbers compactly', () => {
    expect(escapeXml('a<b & "c"')).toBe('a&lt;b &amp; &quot;c&quot;');
    expect(formatNumber(32004.6)).toBe('32k');
    expect(formatNumber(1234)).toBe('1234');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(0.123)).toBe('0.12');
    expect(formatNumber(2_500_000)).toBe('2.5M');
  });

  it('draws a grouped bar chart with one bar per value and n/a for missing ones', () => {
    const svg = barChart({
      title: 'T <1>',
      groups: ['p50', 'p99'],
      unit: 'ms',
      series: [
        { name: 'platform', color: '#00f', values: [1, 2] },
        { name: 'peer', color: '#f00', values: [0.5, null] },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('T &lt;1&gt;');
    expect(svg.match(/<rect [^>]*fill="#00f"><title>/g)).toHaveLength(2);
    expect(svg.match(/<rect [^>]*fill="#f00"><title>/g)).toHaveLength(1);
    expect(svg).toContain('>n/a<');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('draws lines with reference lines, hollow points and a log axis', () => {
    const svg = lineChart({
      title: 'ramp',
      xLabel: 'rate',
      yLabel: 'p99',
      yLog: true,
      hLines: [{ y: 100, label: 'limit' }],
      series: [{ name: 'a', color: '#00f', points: [[100, 2], [200, 4], [400, 900]], hollow: [2] }],
    });
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('fill="#ffffff" stroke="#00f"');
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('(log scale)');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('survives empty series', () => {
    expect(lineChart({ title: 'x', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', color: '#000', points: [] }] })).not.toMatch(/NaN/);
    expect(barChart({ title: 'x', groups: [], unit: 'u', series: [] })).not.toMatch(/NaN/);
  });
});
