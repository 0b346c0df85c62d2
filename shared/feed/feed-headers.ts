import type { RequestHandler, Response } from 'express';

/**
 * `no-cache` rather than `no-store`: a client or proxy may keep a body but must ask again each
 * time, and the ETag (the snapshot object's generation) turns an unchanged answer into a 304.
 * The recorder writes once a minute while betting apps poll far more often, so most repeats
 * cost no body at all, and nothing ever serves a snapshot older than the instance holds.
 */
const CACHE_CONTROL = 'no-cache';

/** Sends JSON bytes as they are; `etag` makes a GET answer 304 when the client has it already. */
export function sendJson(res: Response, body: Buffer | string, etag?: string): void {
  res.set({ 'content-type': 'application/json', 'cache-control': CACHE_CONTROL });
  if (etag !== undefined) res.set('etag', `"${etag}"`);
  if (etag !== undefined && res.req.fresh) {
    res.status(304).end();
    return;
  }
  // end() rather than send(): send() would hash megabytes for an ETag on every request.
  res.status(200).end(body);
}

/**
 * Open CORS: the feed serves public market data without cookies or credentials, so any origin
 * (a browser betting app) may read it. Preflights for the JSON POST are answered here.
 */
export function openCors(): RequestHandler {
  return (req, res, next) => {
    res.set('access-control-allow-origin', '*');
    if (req.method !== 'OPTIONS') return next();
    res
      .set({
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type, if-none-match',
        'access-control-max-age': '86400',
      })
      .status(204)
      .end();
  };
}
