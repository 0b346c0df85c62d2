import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { normalizeLines, QuarantineCollector } from '../../../shared/engine/lines/lines.js';
import {
  HISTORIC_SAMPLES_DIR,
  describeWithSamples,
  historicSampleFiles,
} from '../../support/sample-data.js';
import { betfairPlugin } from './plugin-fixtures.js';
import { compileObjectGlob } from '../../../shared/platform/ports/object-glob.js';

/** Whether a name matches any of the globs, as the object stores list them. */
function anyGlob(globs: string[]): (name: string) => boolean {
  const matchers = globs.map(compileObjectGlob);
  return (name) => matchers.some((matches) => matches(name));
}

const historic = HISTORIC_SAMPLES_DIR;
const samples = historicSampleFiles().map((file) => relative(historic, file));

describeWithSamples(`betfair plugin on real files in ${historic}`, () => {
  it('finds the samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });

  it.each(samples)('decodes %s to exactly what bzip2 -dc gives', async (sample) => {
    const file = join(historic, sample);
    const plugin = betfairPlugin();
    const quarantine = new QuarantineCollector();
    const source = createReadStream(file, { highWaterMark: 16 * 1024 }) as AsyncIterable<Buffer>;
    const { output, stats } = normalizeLines(plugin.decoder(source), {
      quarantine,
      ...(plugin.transformLine ? { transformLine: plugin.transformLine } : {}),
    });
    const parts: Buffer[] = [];
    for await (const part of output) parts.push(part);

    const expected = execFileSync('bzip2', ['-dc', file], { maxBuffer: 512 * 1024 * 1024 });
    expect(Buffer.concat(parts).equals(expected)).toBe(true);
    expect(quarantine.count).toBe(0);
    expect(stats.linesOut).toBe(expected.toString('latin1').split('\n').length - 1);
    expect(stats.bytesOut).toBe(expected.length);
  });

  it.each(samples)('selects %s with the patterns of its dataset and day', (sample) => {
    const [tier = '', year = '', month = '', day = ''] = sample.split('/');
    const plugin = betfairPlugin();
    const isMatch = anyGlob(plugin.buildPatterns([`${month}/${day}`], `${tier}/${year}`));
    expect(isMatch(sample)).toBe(true);
    expect(isMatch(sample.replace(`/${month}/`, '/Dec/'))).toBe(false);
  });

  it.each(samples)('recognises %s below any folder and selects it by tier and year', (sample) => {
    const [tier = '', year = '', month = '', day = '', eventId = '', file = ''] = sample.split('/');
    const plugin = betfairPlugin();
    expect(plugin.layoutOf(`archive/copy 2/${sample}`)).toEqual({
      root: 'archive/copy 2',
      tier,
      year: Number(year),
      month,
      day: Number(day),
      eventId,
      marketId: file.replace(/\.bz2$/, ''),
    });
    const isMatch = anyGlob(plugin.buildPatterns([year, '2099'], `archive/copy 2/${tier}`));
    expect(isMatch(`archive/copy 2/${sample}`)).toBe(true);
    expect(isMatch(sample)).toBe(false);
  });
});
