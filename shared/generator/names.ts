import type { Rng } from './rng.js';

/** A racecourse with the country and timezone Betfair gives its markets. */
export interface Venue {
  venue: string;
  countryCode: 'GB' | 'IE';
  timezone: 'Europe/London' | 'Europe/Dublin';
}

const GB = ['Ascot', 'Ayr', 'Bath', 'Carlisle', 'Catterick', 'Chelmsford City', 'Cheltenham'];
const GB_MORE = ['Doncaster', 'Epsom', 'Hamilton', 'Haydock', 'Kempton', 'Lingfield', 'Newbury'];
const GB_LAST = [
  'Newcastle',
  'Newmarket',
  'Ripon',
  'Sandown',
  'Southwell',
  'Wolverhampton',
  'York',
];
const IE = [
  'Cork',
  'Curragh',
  'Dundalk',
  'Fairyhouse',
  'Galway',
  'Leopardstown',
  'Naas',
  'Punchestown',
];

/** UK and Irish racecourses, GB first. */
export const VENUES: readonly Venue[] = [
  ...[...GB, ...GB_MORE, ...GB_LAST].map((venue): Venue => ({
    venue,
    countryCode: 'GB',
    timezone: 'Europe/London',
  })),
  ...IE.map((venue): Venue => ({ venue, countryCode: 'IE', timezone: 'Europe/Dublin' })),
];

const DISTANCES = ['5f', '6f', '7f', '1m', '1m2f', '1m4f', '2m', '2m4f', '3m'];
const RACE_TYPES = ['Hcap', 'Mdn Stks', 'Nov Stks', 'Class Stks', 'Hcap Hrd', 'Hcap Chs', 'NHF'];

/** A WIN market name in Betfair's style, e.g. "1m2f Hcap". */
export function raceName(rng: Rng): string {
  return `${rng.pick(DISTANCES)} ${rng.pick(RACE_TYPES)}`;
}

const FIRST = ['Golden', 'Silent', 'Royal', 'Brave', 'Misty', 'Lucky', 'Dancing', 'Storm', 'Noble'];
const FIRST_MORE = ['Copper', 'Wild', 'Midnight', 'Emerald', 'Highland', 'Scarlet', 'Quiet'];
const SECOND = ['Arrow', 'Legend', 'Dancer', 'Star', 'Harbour', 'Spirit', 'Echo', 'Warrior'];
const SECOND_MORE = ['Meadow', 'River', 'Empress', 'Falcon', 'Lad', 'Rose', 'Thunder', 'Vale'];

/** A horse name, e.g. "Misty Harbour". */
export function horseName(rng: Rng): string {
  return `${rng.pick([...FIRST, ...FIRST_MORE])} ${rng.pick([...SECOND, ...SECOND_MORE])}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The vendor's month folder name (`Jan` … `Dec`) of a month index 0–11. */
export function monthName(month: number): string {
  const name = MONTHS[month];
  if (name === undefined) throw new RangeError(`no month ${month}`);
  return name;
}

/** Betfair's event name for a meeting, e.g. "Ham 14th Jun". */
export function eventName(venue: string, day: Date): string {
  const short = venue.length > 5 ? venue.slice(0, 4) : venue;
  return `${short} ${ordinal(day.getUTCDate())} ${monthName(day.getUTCMonth())}`;
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
