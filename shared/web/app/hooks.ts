import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from './api.js';

/** What a polled resource holds: its last value, the last error, and a way to reload now. */
export interface Polled<T> {
  data: T | undefined;
  error: string | undefined;
  reload: () => void;
}

/**
 * Loads `load()` now and every `intervalMs` while the component is shown (never when
 * `intervalMs` is 0), keeping the last good value through a failed reload.
 */
export function usePolling<T>(load: () => Promise<T>, intervalMs: number, key = ''): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const value = await loadRef.current();
        if (!live) return;
        setData(value);
        setError(undefined);
      } catch (failure) {
        if (live) setError(messageOf(failure));
      }
      if (live && intervalMs > 0) timer = setTimeout(() => void run(), intervalMs);
    };
    void run();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [intervalMs, key, tick]);
  useEffect(() => setData(undefined), [key]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}

/** The location hash as a route: `#/jobs/abc?x=1` → path `/jobs/abc`, params `x=1`. */
export function useHashRoute(): { path: string; params: URLSearchParams } {
  const read = () => {
    const hash = window.location.hash.replace(/^#/, '') || '/pipeline';
    const [path = '/pipeline', search = ''] = hash.split('?', 2);
    return { path, params: new URLSearchParams(search) };
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => setRoute(read());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function navigate(hash: string): void {
  window.location.hash = hash;
}
