import { describe, expect, it } from 'vitest';
import { raisedBy, runYaml } from './fake-environment.js';

/** Evaluates one expression with `vars` as the workflow argument `v`. */
function evaluateExpr(expr: string, vars: Record<string, unknown> = {}) {
  const quoted = JSON.stringify(`\${${expr}}`);
  const yaml = `main:\n  params: [v]\n  steps:\n    - done:\n        return: ${quoted}\n`;
  return { result: () => runYaml(yaml, vars), raised: () => raisedBy(yaml, vars) };
}

const vars = {
  n: 7,
  list: [10, 20, 30],
  map: { a: { b: 'deep' }, 'with space': 1 },
  s: 'Hello',
  nothing: null,
};

describe('expressions', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['7 / 2', 3.5],
    ['7 // 2', 3],
    ['-7 // 2', -4],
    ['7 % 3', 1],
    ['-7 % 3', 2],
    ['-v.n + 1', -6],
    ['"a" + \'b\'', 'ab'],
    ['1 < 2 and 2 <= 2', true],
    ['"abc" < "abd"', true],
    ['1 == 1.0', true],
    ['[1, {"k": 2}] == [1, {"k": 2}]', true],
    ['v.list != [10, 20]', true],
    ['not true or true', true],
    ['not (true or true)', false],
    ['false and v.missing', false],
    ['true or v.missing', true],
    ['20 in v.list', true],
    ['"a" in v.map', true],
    ['"z" in v.map', false],
    ['v.map.a.b', 'deep'],
    ['v.map["with space"]', 1],
    ['v.list[1] + v.list[2]', 50],
    ['v.list[len(v.list) - 1]', 30],
    ['null', null],
    ['v.nothing == null', true],
    ['{"x": [1, 2]}', { x: [1, 2] }],
    ['"tab\\there"', 'tab\there'],
    ['1 + 2 == 3 and "x" + "y" == "xy"', true],
  ])('%s', async (expr, expected) => {
    await expect(evaluateExpr(expr, vars).result()).resolves.toEqual(expected);
  });

  it.each([
    ['len(v.s)', 5],
    ['len(v.map)', 2],
    ['keys(v.map.a)', ['b']],
    ['default(v.nothing, "fallback")', 'fallback'],
    ['default(1, 2)', 1],
    ['map.get(v.map, "nope")', null],
    ['map.get(v.map, ["a", "b"])', 'deep'],
    ['int("42") + int(2.9)', 44],
    ['double("2.5")', 2.5],
    ['string(12) + string(true)', '12true'],
    ['bool("TRUE")', true],
    ['type(1)', 'integer'],
    ['type(1.5)', 'double'],
    ['type(v.list)', 'list'],
    ['type(v.map)', 'map'],
    ['type(null)', 'null'],
    ['type(text.encode("x"))', 'bytes'],
    ['json.encode_to_string({"a": [1, true]})', '{"a":[1,true]}'],
    ['json.decode(json.encode({"a": 1})).a', 1],
    ['json.decode("[1,2]")', [1, 2]],
    ['base64.encode(text.encode("hi"))', 'aGk='],
    ['text.decode(base64.decode("aGk="))', 'hi'],
    ['text.split("a/b/c", "/")', ['a', 'b', 'c']],
    ['text.replace_all("a-b-c", "-", "+")', 'a+b+c'],
    ['text.to_lower(v.s) + text.to_upper(v.s)', 'helloHELLO'],
    ['text.substring(v.s, 1, 3)', 'el'],
    ['text.match_regex("job-1_a", "^[A-Za-z0-9_-]{1,64}$")', true],
    ['text.match_regex("../x", "^[A-Za-z0-9_-]{1,64}$")', false],
    ['text.match_regex(v.s, "ll")', true],
    ['list.concat(v.list, 40)', [10, 20, 30, 40]],
    ['math.min(3, 1) + math.max(3, 1) + math.floor(2.7)', 6],
    ['sys.now()', 1_700_000_000],
    ['sys.get_env("GOOGLE_CLOUD_PROJECT_ID")', 'p1'],
    ['len(uuid.generate())', 36],
    ['time.format(0)', '1970-01-01T00:00:00.000Z'],
  ])('stdlib %s', async (expr, expected) => {
    await expect(evaluateExpr(expr, vars).result()).resolves.toEqual(expected);
  });

  it.each([
    ['v.missing', 'KeyError'],
    ['undefined_variable', 'KeyError'],
    ['v.list[3]', 'IndexError'],
    ['v.list["a"]', 'TypeError'],
    ['v.s.field', 'TypeError'],
    ['1 + "a"', 'TypeError'],
    ['1 < "a"', 'TypeError'],
    ['not 1', 'TypeError'],
    ['1 and true', 'TypeError'],
    ['1 / 0', 'ZeroDivisionError'],
    ['5 % 0', 'ZeroDivisionError'],
    ['int("x")', 'ValueError'],
    ['json.decode("{")', 'ValueError'],
    ['base64.encode("not bytes")', 'TypeError'],
    ['len(1)', 'TypeError'],
    ['keys(1, 2)', 'TypeError'],
  ])('%s raises %s', async (expr, tag) => {
    await expect(evaluateExpr(expr, vars).raised()).resolves.toMatchObject({ tags: [tag] });
  });
});
