import { MAX_BODY_LENGTH } from '@chat/contracts';

/** Tricky strings every store must keep byte for byte (all valid for the contracts). */
export const TRICKY_TEXTS: readonly string[] = [
  '😀🎉👍🏽',
  '👨‍👩‍👧‍👦 family (ZWJ)',
  '🇫🇷🇯🇵 flags',
  'e\u0301 a\u0308\u0304 Z\u0351\u0307\u0360 combining',
  'שלום עולם مرحبا بالعالم \u202Eoverride\u202C',
  'edge \uFFFF \uFFFE \uFFFD',
  '\uFEFFbom first',
  'line\r\nbreaks\nand\u2028separators\u2029',
  'tab\tbell\u0007esc\u001B del\u007F',
  '𝄞 𐍈 𠜎 \u{10FFFF} \u{E0001}',
  '"quotes" \\backslash\\ {"json":true}',
  '😀'.repeat(MAX_BODY_LENGTH / 2),
  `${'𝄞'.repeat(MAX_BODY_LENGTH / 2 - 1)}ab`,
  'é'.repeat(MAX_BODY_LENGTH),
];

/** mulberry32: a tiny seeded PRNG, so a failing string can be reproduced from the seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Code point ranges, weighted toward what real text and real bugs use. */
const RANGES: ReadonlyArray<readonly [weight: number, from: number, to: number]> = [
  [30, 0x20, 0x7e],
  [4, 0x01, 0x1f],
  [6, 0xa0, 0x24f],
  [6, 0x300, 0x36f],
  [6, 0x590, 0x6ff],
  [6, 0x2000, 0x206f],
  [6, 0x4e00, 0x9fff],
  [4, 0xe000, 0xffff],
  [12, 0x1f300, 0x1faff],
  [6, 0x10000, 0x10ffff],
];
const TOTAL_WEIGHT = RANGES.reduce((sum, [weight]) => sum + weight, 0);

/**
 * Arbitrary UTF-16: whole code points of any plane, and in about a third of the texts the odd
 * raw code unit that is U+0000 or a lone surrogate. The callers keep only what the
 * contract accepts, so the contract itself decides which strings must round-trip.
 */
export function randomTexts(seed: number, count: number, maxUnits: number): string[] {
  const random = prng(seed);
  const int = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  const codeUnit = (dirty: boolean): string => {
    const roll = dirty ? random() : 1;
    if (roll < 0.01) return '\u0000';
    if (roll < 0.02) return String.fromCharCode(int(0xd800, 0xdfff));
    let pick = random() * TOTAL_WEIGHT;
    for (const [weight, from, to] of RANGES) {
      pick -= weight;
      if (pick < 0) return String.fromCodePoint(int(from, to));
    }
    return 'x';
  };
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    // Mostly short texts, one in ten up to the limit.
    const units = random() < 0.1 ? int(1, maxUnits) : int(1, Math.min(maxUnits, 80));
    const dirty = random() < 0.3;
    let text = '';
    while (text.length < units) {
      const next = codeUnit(dirty);
      if (text.length + next.length > units) break;
      text += next;
    }
    texts.push(text.length > 0 ? text : 'x');
  }
  return texts;
}
