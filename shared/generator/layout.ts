import type { Tier } from './market-definition.js';
import { monthName } from './names.js';

/** Where a market's file goes in the vendor's layout. */
export interface HistoricFileKey {
  tier: Tier;
  /** Publish time of the file's first message (its day names the folder, in UTC). */
  firstPt: number;
  eventId: string;
  marketId: string;
}

/**
 * The vendor's object name, `PRO/2022/Apr/19/<eventId>/<marketId>.bz2`: month as `Jan`…`Dec`
 * and day without a leading zero, after an optional prefix.
 */
export function historicObjectName(key: HistoricFileKey, prefix = ''): string {
  const day = new Date(key.firstPt);
  const date = `${day.getUTCFullYear()}/${monthName(day.getUTCMonth())}/${day.getUTCDate()}`;
  return `${prefix}${key.tier}/${date}/${key.eventId}/${key.marketId}.bz2`;
}
