import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';

/** A store that counts stats and reads, and can hold reads until released. */
export interface CountingStore {
  store: ObjectStore;
  stats: string[];
  reads: string[];
  /** Makes later reads wait until the returned function is called. */
  holdReads(): () => void;
}

/** Wraps `inner`, recording the object name of every stat and read. */
export function countingStore(inner: ObjectStore): CountingStore {
  const stats: string[] = [];
  const reads: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'stat') {
        return (bucket: string, name: string) => {
          stats.push(name);
          return target.stat(bucket, name);
        };
      }
      if (property === 'read') {
        return async (...args: Parameters<ObjectStore['read']>) => {
          reads.push(args[1]);
          await gate;
          return target.read(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  const holdReads = () => {
    let release!: () => void;
    gate = new Promise<void>((resolve) => (release = resolve));
    return release;
  };
  return { store, stats, reads, holdReads };
}
