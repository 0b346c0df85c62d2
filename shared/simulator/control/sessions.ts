import { createRng, deriveSeed } from '../../generator/rng.js';

/** Why a session token was refused, in APINGException codes. */
export type SessionProblem = 'NO_SESSION' | 'INVALID_SESSION_INFORMATION';

/** Live session tokens (SSOIDs), which die unless kept alive. */
export interface SessionStore {
  /** A new live token, as a login would give. */
  issue(now: number): string;
  /** Why `token` cannot be used at `now`, or undefined when it can. */
  check(token: string | undefined, now: number): SessionProblem | undefined;
  /** Extends a live session; false when the token is unknown or has expired. */
  keepAlive(token: string, now: number): boolean;
  /** Ends a session now; false when there was no such session. */
  expire(token: string): boolean;
  expireAll(): void;
  /** Minutes without a keep-alive after which a session dies; null for never. */
  timeoutMinutes: number | null;
}

/** Creates a session store; tokens are derived from `seed`, so runs repeat. */
export function createSessionStore(seed: number, timeoutMinutes: number | null): SessionStore {
  const lastKeptAlive = new Map<string, number>();
  const rng = createRng(deriveSeed(seed, 'sessions'));
  const store: SessionStore = {
    timeoutMinutes,
    issue: (now) => {
      const token = newToken(() => rng.next());
      lastKeptAlive.set(token, now);
      return token;
    },
    check: (token, now) => {
      if (!token) return 'NO_SESSION';
      return live(token, now) ? undefined : 'INVALID_SESSION_INFORMATION';
    },
    keepAlive: (token, now) => {
      if (!live(token, now)) return false;
      lastKeptAlive.set(token, now);
      return true;
    },
    expire: (token) => lastKeptAlive.delete(token),
    expireAll: () => lastKeptAlive.clear(),
  };
  const live = (token: string, now: number): boolean => {
    const last = lastKeptAlive.get(token);
    if (last === undefined) return false;
    if (store.timeoutMinutes === null || now - last < store.timeoutMinutes * 60_000) return true;
    lastKeptAlive.delete(token);
    return false;
  };
  return store;
}

/** 44 characters of base64 alphabet ending in "=", the look of a Betfair SSOID. */
function newToken(next: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const body = Array.from({ length: 43 }, () => alphabet[Math.floor(next() * 64)]).join('');
  return `${body}=`;
}
