import type { DeadLetter, DeliveryJob } from './types.js';

/**
 * Events that exhausted their attempts, kept with the job that produced them so a redrive
 * sends the same event again.
 */
export class DeadLetterStore {
  private readonly letters = new Map<string, { letter: DeadLetter; job: DeliveryJob }>();

  /** How many events are dead-lettered. */
  get size(): number {
    return this.letters.size;
  }

  add(letter: DeadLetter, job: DeliveryJob): void {
    this.letters.set(letter.id, { letter, job });
  }

  /** Dead letters, oldest first. */
  list(): DeadLetter[] {
    return [...this.letters.values()].map(({ letter }) => letter);
  }

  /** Removes and returns the given dead letters (all when `ids` is omitted); unknown ids are ignored. */
  take(ids?: readonly string[]): { id: string; job: DeliveryJob }[] {
    const taken: { id: string; job: DeliveryJob }[] = [];
    for (const id of ids ?? [...this.letters.keys()]) {
      const found = this.letters.get(id);
      if (!found) continue;
      this.letters.delete(id);
      taken.push({ id, job: found.job });
    }
    return taken;
  }
}
