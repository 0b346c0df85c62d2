import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planMarkets } from '../../../shared/local/generator/markets.js';
import { createRng } from '../../../shared/local/generator/random.js';
import {
  type GeneratedTier as Tier,
  marketStream,
} from '../../../shared/local/generator/stream.js';
import { BZIP2_MISSING, bzip2Dc, hasBzip2 } from '../../support/bzip2.js';
import { HISTORIC_SAMPLES_DIR, describeWithSamples } from '../../support/sample-data.js';
import { parseLines, type Message } from './stream-checks.js';

const HISTORIC = HISTORIC_SAMPLES_DIR;
const SAMPLES: Record<Tier, string> = {
  PRO: 'PRO/2022/Apr/19/31389771/1.197931750.bz2',
  BASIC: 'BASIC/2017/Jun/13/28270094/1.132153978.bz2',
};

function realFirst(tier: Tier): Message {
  const text = bzip2Dc(readFileSync(join(HISTORIC, SAMPLES[tier]))).toString('utf8');
  return JSON.parse(text.slice(0, text.indexOf('\n'))) as Message;
}

function generatedFirst(tier: Tier): Message {
  const [market] = planMarkets({
    date: '2022-04-19',
    days: 1,
    meetings: 1,
    racesPerMeeting: 1,
    seed: 1,
  });
  const lines = marketStream(
    { market: market!, tier, updates: 20, preOffMinutes: 30 },
    createRng(1),
  );
  return parseLines(lines)[0]!;
}

const keys = (value: object | undefined) => Object.keys(value ?? {}).sort();

describeWithSamples("generated files against the vendor's samples", () => {
  describe.skipIf(!hasBzip2)(`read with bzip2${hasBzip2 ? '' : ` (${BZIP2_MISSING})`}`, () => {
    it.each(['PRO', 'BASIC'] as const)('%s: the first message has the same structure', (tier) => {
      const real = realFirst(tier);
      const ours = generatedFirst(tier);
      expect(keys(ours)).toEqual(keys(real));
      expect(keys(ours.mc[0]!.marketDefinition)).toEqual(keys(real.mc[0]!.marketDefinition));
      const realRunner = real.mc[0]!.marketDefinition!.runners[0]!;
      const ourRunner = ours.mc[0]!.marketDefinition!.runners[0]!;
      // Horse racing runners carry an adjustmentFactor; the PRO sample is greyhounds, which do not.
      expect(keys(ourRunner).filter((k) => k !== 'adjustmentFactor')).toEqual(
        keys(realRunner).filter((k) => k !== 'adjustmentFactor'),
      );
    });

    it.each(['PRO', 'BASIC'] as const)('%s: values have the vendor types', (tier) => {
      const real = realFirst(tier).mc[0]!.marketDefinition!;
      const ours = generatedFirst(tier).mc[0]!.marketDefinition!;
      for (const key of keys(real)) expect(typeof ours[key], key).toBe(typeof real[key]);
    });
  });
});
