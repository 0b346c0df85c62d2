import { isOnLadder } from '../../../shared/local/generator/runner-book.js';

/** A parsed market change message, as far as the checks need it. */
export interface Message {
  op: string;
  clk: string;
  pt: number;
  mc: MarketChange[];
}

export interface MarketChange {
  id: string;
  marketDefinition?: Definition;
  rc?: RunnerChangeJson[];
  img?: boolean;
  tv?: number;
}

export interface Definition {
  status: string;
  inPlay: boolean;
  bspReconciled: boolean;
  numberOfWinners: number;
  numberOfActiveRunners: number;
  marketType: string;
  runners: {
    id: number;
    status: string;
    bsp?: number;
    adjustmentFactor?: number;
    removalDate?: string;
  }[];
  [key: string]: unknown;
}

export interface RunnerChangeJson {
  id: number;
  atb?: [number, number][];
  atl?: [number, number][];
  trd?: [number, number][];
  ltp?: number;
  tv?: number;
  spn?: number;
  spf?: number;
}

export function parseLines(lines: string[]): Message[] {
  return lines.map((line) => JSON.parse(line) as Message);
}

/** Every price in atb, atl, trd and ltp that is off the Betfair ladder. */
export function offLadderPrices(messages: Message[]): number[] {
  const bad: number[] = [];
  for (const rc of runnerChanges(messages)) {
    const prices = [...(rc.atb ?? []), ...(rc.atl ?? []), ...(rc.trd ?? [])].map(([p]) => p);
    if (rc.ltp !== undefined) prices.push(rc.ltp);
    bad.push(...prices.filter((p) => !isOnLadder(p)));
  }
  return bad;
}

/**
 * Replays the atb/atl deltas into books and returns each point (message index, runner) where
 * the best back is not strictly below the best lay.
 */
export function crossedBooks(messages: Message[]): string[] {
  type Book = { back: Map<number, number>; lay: Map<number, number> };
  const books = new Map<number, Book>();
  const crossed: string[] = [];
  messages.forEach((message, index) => {
    for (const rc of message.mc.flatMap((mc) => mc.rc ?? [])) {
      const book: Book = books.get(rc.id) ?? {
        back: new Map<number, number>(),
        lay: new Map<number, number>(),
      };
      books.set(rc.id, book);
      apply(book.back, rc.atb);
      apply(book.lay, rc.atl);
    }
    for (const [id, book] of books) {
      const bestBack = Math.max(...book.back.keys());
      const bestLay = Math.min(...book.lay.keys());
      if (book.back.size > 0 && book.lay.size > 0 && bestBack >= bestLay)
        crossed.push(`${index}:${id}`);
    }
  });
  return crossed;
}

/** The marketDefinitions in order of appearance. */
export function definitions(messages: Message[]): Definition[] {
  return messages.flatMap((m) =>
    m.mc.flatMap((mc) => (mc.marketDefinition ? [mc.marketDefinition] : [])),
  );
}

export function runnerChanges(messages: Message[]): RunnerChangeJson[] {
  return messages.flatMap((m) => m.mc.flatMap((mc) => mc.rc ?? []));
}

function apply(side: Map<number, number>, deltas: [number, number][] | undefined): void {
  for (const [price, size] of deltas ?? []) {
    if (size === 0) side.delete(price);
    else side.set(price, size);
  }
}
