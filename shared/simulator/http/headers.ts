import type { Request } from 'express';
import type { CallHeaders } from '../api/betting-call.js';

/** The app key and session token of a request, absent when the header is missing or empty. */
export function callHeaders(req: Request): CallHeaders {
  return {
    appKey: req.get('x-application') || undefined,
    sessionToken: req.get('x-authentication') || undefined,
  };
}

/** The raw body as JSON; `undefined` with `ok: false` when it is not JSON. */
export function parseBody(body: unknown): { ok: true; value: unknown } | { ok: false } {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '';
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
