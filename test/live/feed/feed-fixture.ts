import { http } from '@google-cloud/functions-framework';
import { createFeedApi } from '../../../shared/live/feed/feed-api.js';
import { createLogger } from '../../../shared/platform/logging.js';
import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';
import { serveFunction, type ServedFunction } from '../../local/delivery/serve-function.js';
import { BASE_PATH, BUCKET } from './snapshot-fixture.js';

let served = 0;

/** An HTTP answer with its text kept, so the bytes served can be compared too. */
export interface FeedAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/** The feed function served through functions-framework over real HTTP. */
export interface ServedFeed extends ServedFunction {
  get(path: string, headers?: Record<string, string>): Promise<FeedAnswer>;
  post(path: string, body: unknown): Promise<FeedAnswer>;
  /** Lines the feed logged, parsed. */
  logs: Record<string, unknown>[];
  /** What stands for https://api.betfair.com: the URL without its trailing `/`. */
  apiBase: string;
}

/** Serves a feed reading `store`, with an optional clock and check interval. */
export async function serveFeed(
  store: ObjectStore,
  options: { now?: () => number; checkIntervalMs?: number } = {},
): Promise<ServedFeed> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const name = `feed-test-${(served += 1)}`;
  http(
    name,
    createFeedApi({ objectStore: store, bucket: BUCKET, basePath: BASE_PATH, logger, ...options }),
  );
  const fn = await serveFunction(name);
  const call = async (path: string, init: RequestInit): Promise<FeedAnswer> => {
    const response = await fetch(new URL(path.replace(/^\//, ''), fn.url), init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: parse(text) };
  };
  return {
    ...fn,
    logs,
    apiBase: fn.url.replace(/\/$/, ''),
    get: (path, headers = {}) => call(path, { headers }),
    post: (path, body) =>
      call(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}

/** JSON when it is JSON; functions-framework answers bodies it cannot parse with HTML. */
function parse(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}
