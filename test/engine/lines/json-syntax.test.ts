import { describe, expect, it } from 'vitest';
import { isJsonText } from '../../../shared/engine/lines/json-syntax.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const valid = [
  '{}',
  '[]',
  ' \t{ "a" : [ 1 , -2.5e+3 , 0 , 0.1 , 1E9 , true , false , null ] } \r',
  '"plain"',
  '"esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDC0E"',
  '"\\ud800"',
  '-0',
  '123',
  '[[[[{"a":{"b":[{}]}}]]]]',
  '{"op":"mcm","clk":"123","pt":1650000000000,"mc":[{"id":"1.197931750","rc":[{"id":1,"atb":[[1.5,10]]}]}]}',
  '{"n":"Ségolène 🐎"}',
  '{"a":1,"a":2}',
];

const invalid = [
  '',
  ' ',
  '{',
  '}',
  '[1,]',
  '{"a":1,}',
  '{"a" 1}',
  '{a:1}',
  "{'a':1}",
  '[1 2]',
  '{"a":1}{"b":2}',
  '01',
  '1.',
  '.5',
  '-',
  '1e',
  '1e+',
  '+1',
  'tru',
  'nul',
  'True',
  '"unterminated',
  '"bad \\x escape"',
  '"\\u12G4"',
  '"\\u12"',
  '"raw \t tab"',
  '"raw \n newline"',
  '\u00a0{}',
  '\ufeff{}',
  'NaN',
  '[1]]',
  '[{]}',
  '{"a":[}',
];

describe('isJsonText', () => {
  it.each(valid)('accepts %j', (text) => {
    expect(parses(text)).toBe(true);
    expect(isJsonText(Buffer.from(text))).toBe(true);
  });

  it.each(invalid)('rejects %j', (text) => {
    expect(parses(text)).toBe(false);
    expect(isJsonText(Buffer.from(text))).toBe(false);
  });

  it('agrees with JSON.parse on thousands of mutated documents', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = '{}[]",:\\ -+.eE0189tfnrulasbu\t\r\n';
    const disagreements: string[] = [];
    for (let round = 0; round < 20_000; round += 1) {
      const chars = [...(valid[random(valid.length)] ?? '')];
      for (let edits = 1 + random(3); edits > 0; edits -= 1) {
        const at = random(chars.length + 1);
        const char = alphabet[random(alphabet.length)] ?? ' ';
        const kind = random(3);
        if (kind === 0) chars.splice(at, 1);
        else if (kind === 1) chars.splice(at, 0, char);
        else chars.splice(at, 1, char);
      }
      const text = chars.join('');
      if (isJsonText(Buffer.from(text)) !== parses(text)) disagreements.push(text);
    }
    expect(disagreements).toEqual([]);
  });
});
