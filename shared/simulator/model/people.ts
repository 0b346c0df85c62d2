import type { Rng } from '../../generator/rng.js';

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
