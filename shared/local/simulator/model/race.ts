import { horseName, type Venue } from '../../generator/markets.js';
import { assignFinishingOrder, type Rng } from '../../generator/random.js';

/** Betfair's `raceType` values the simulator uses. */
export const RACE_TYPES = ['Flat', 'Hurdle', 'Chase'] as const;
export type RaceType = (typeof RACE_TYPES)[number];

/** One horse declared for a race, shared by every market of the race. */
export interface HorsePlan {
  selectionId: number;
  name: string;
  /** Win probability in the opening book (sums to 1 over the declared field). */
  probability: number;
  /** How far the horse's log-odds move by the off; negative shortens it. */
  drift: number;
  /** 1 for the winner, 0 for a non-runner. */
  finishPosition: number;
  /** For a non-runner: when it was withdrawn (epoch ms). */
  removedAt?: number;
  metadata: Record<string, string | null>;
}

/** What a meeting decides for each of its races. */
export interface RaceSlot {
  /** A stable label that seeds everything random about this race. */
  key: string;
  eventId: string;
  eventName: string;
  venue: Venue;
  /** The meeting's first race (the event's openDate), epoch ms. */
  openDate: number;
  /** Scheduled off, epoch ms. */
  off: number;
  jumps: boolean;
}

/** One race of a meeting: its slot, planned in full. */
export interface RacePlan extends Omit<RaceSlot, 'jumps'> {
  raceType: RaceType;
  /** The WIN market's name, e.g. "2m4f Hcap Hrd". */
  name: string;
  /** How long the race is run, in seconds. */
  runSeconds: number;
  /** From the finish to settlement, in seconds. */
  settleSeconds: number;
  /** Money the WIN market will have matched by the end. */
  winVolume: number;
  runners: HorsePlan[];
}

const FLAT_DISTANCES = [5, 6, 7, 8, 10, 12, 14, 16];
const JUMP_DISTANCES = [16, 18, 20, 22, 24, 26];
const FLAT_CLASSES = ['Hcap', 'Mdn Stks', 'Nov Stks', 'Class Stks', 'Stks', 'Listed'];
const HURDLE_CLASSES = ['Hcap Hrd', 'Mdn Hrd', 'Nov Hrd', 'Hrd'];
const CHASE_CLASSES = ['Hcap Chs', 'Nov Chs', 'Beg Chs', 'Chs'];

/** Plans one race: its name, field, prices, result and any non-runner. */
export function planRace(slot: RaceSlot, rng: Rng): RacePlan {
  const raceType: RaceType = slot.jumps ? rng.pick(['Hurdle', 'Chase'] as const) : 'Flat';
  const furlongs = rng.pick(slot.jumps ? JUMP_DISTANCES : FLAT_DISTANCES);
  const classes = { Flat: FLAT_CLASSES, Hurdle: HURDLE_CLASSES, Chase: CHASE_CLASSES }[raceType];
  const runners = planField(rng.int(5, 16), slot, rng);
  return {
    ...slot,
    raceType,
    name: `${distanceName(furlongs)} ${rng.pick(classes)}`,
    runSeconds: Math.round(furlongs * (raceType === 'Flat' ? 12.5 : 14.5) + rng.int(-5, 10)),
    settleSeconds: rng.int(90, 360),
    winVolume: Math.round(20_000 + rng.next() ** 2 * 800_000),
    runners,
  };
}

/** "2m4f", "7f", "1m". */
export function distanceName(furlongs: number): string {
  const miles = Math.floor(furlongs / 8);
  const rest = furlongs % 8;
  return `${miles > 0 ? `${miles}m` : ''}${rest > 0 ? `${rest}f` : ''}`;
}

function planField(count: number, slot: RaceSlot, rng: Rng): HorsePlan[] {
  const strengths = Array.from({ length: count }, () => rng.next() ** 2 + 0.03);
  const total = strengths.reduce((a, b) => a + b, 0);
  const names = new Set<string>();
  const runners = strengths
    .map((s) => s / total)
    .sort((a, b) => b - a)
    .map((probability, index): HorsePlan => {
      const name = uniqueName(names, rng);
      const selectionId = selectionIdOf(name);
      const entry = {
        cloth: index + 1,
        stall: slot.jumps ? null : rng.int(1, count),
        jumps: slot.jumps,
      };
      return {
        selectionId,
        name,
        probability,
        drift: (rng.next() - 0.5) * 0.8,
        finishPosition: 0,
        metadata: runnerMetadata(selectionId, entry, rng),
      };
    });
  if (count > 5 && rng.chance(0.3)) {
    const removed = runners[rng.int(1, count - 1)] as HorsePlan;
    removed.removedAt = slot.off - rng.int(20, 300) * 60_000;
  }
  assignFinishingOrder(runners, rng);
  return runners;
}

function uniqueName(taken: Set<string>, rng: Rng): string {
  for (;;) {
    const name = horseName(rng);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** A horse keeps its selectionId across races, as on Betfair: derived from its name. */
function selectionIdOf(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return 1_000_000 + (hash % 40_000_000);
}

const JOCKEYS = [
  'R Moore',
  'W Buick',
  'O Murphy',
  'H Doyle',
  'T Marquand',
  'J Doyle',
  'D Tudhope',
  'R Havlin',
  'P J McDonald',
  'C Fallon',
  'S De Sousa',
  'B Curtis',
  'R Kingscote',
  'K Shoemark',
  'H Cobden',
  'N de Boinville',
  'S Twiston-Davies',
  'P Townend',
  'R Blackmore',
  'J Kennedy',
  'D Russell',
  'M Walsh',
  'B Hayes',
  'S Bowen',
  'D Jacob',
  'G Sheehan',
  'C Keniry',
  'A Kirby',
  'L Morris',
];
const TRAINERS = [
  "A P O'Brien",
  'J H M Gosden',
  'W P Mullins',
  'G Elliott',
  'H de Bromhead',
  'N J Henderson',
  'P F Nicholls',
  'D Skelton',
  'M Johnston',
  'R Varian',
  'W J Haggas',
  'A M Balding',
  'R Hannon',
  'K R Burke',
  'T D Easterby',
  "D O'Meara",
  "J P O'Brien",
  'Mrs J Harrington',
  'H Palmer',
  'C Appleby',
  'O Murphy',
  'E Lavelle',
  "F O'Brien",
  'V Williams',
  'T Lacey',
];
const SIRES = ['Dubawi', 'Frankel', 'Galileo', 'Kingman', 'Sea The Stars', 'Night Of Thunder'];
const JUMP_SIRES = ['Walk In The Park', 'Getaway', 'Flemensfirth', 'Mahler', 'Milan', 'Yeats'];
const SEX = ['GELDING', 'COLT', 'FILLY', 'MARE', 'HORSE'];
const FORM_CHARS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'P', 'F', 'U', '-', '/'];

/** What the racecard says about one horse, before it is turned into RUNNER_METADATA. */
export interface RacecardEntry {
  cloth: number;
  stall: number | null;
  jumps: boolean;
}

/** RUNNER_METADATA for a horse: Betfair's keys, every value a string or null. */
export function runnerMetadata(
  selectionId: number,
  entry: RacecardEntry,
  rng: Rng,
): Record<string, string | null> {
  const age = entry.jumps ? rng.int(4, 11) : rng.int(2, 7);
  const pounds = entry.jumps ? rng.int(140, 168) : rng.int(112, 140);
  return {
    runnerId: String(selectionId),
    CLOTH_NUMBER: String(entry.cloth),
    CLOTH_NUMBER_ALPHA: String(entry.cloth),
    STALL_DRAW: entry.stall === null ? null : String(entry.stall),
    JOCKEY_NAME: rng.pick(JOCKEYS),
    JOCKEY_CLAIM: rng.chance(0.15) ? String(rng.pick([3, 5, 7])) : null,
    TRAINER_NAME: rng.pick(TRAINERS),
    AGE: String(age),
    SEX_TYPE: rng.pick(SEX),
    WEIGHT_VALUE: String(pounds),
    WEIGHT_UNITS: 'pounds',
    OFFICIAL_RATING: rng.chance(0.8) ? String(rng.int(45, 150)) : null,
    DAYS_SINCE_LAST_RUN: String(rng.int(7, 400)),
    FORM: form(rng),
    SIRE_NAME: rng.pick(entry.jumps ? JUMP_SIRES : SIRES),
    BRED: entry.jumps ? rng.pick(['IRE', 'FR', 'GB']) : rng.pick(['GB', 'IRE', 'USA', 'FR']),
    WEARING: rng.chance(0.25)
      ? rng.pick(['blinkers', 'cheekpieces', 'tongue strap', 'hood'])
      : null,
    COLOURS_DESCRIPTION: null,
  };
}

function form(rng: Rng): string {
  return Array.from({ length: rng.int(0, 6) }, () => rng.pick(FORM_CHARS)).join('');
}
