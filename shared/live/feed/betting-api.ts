import {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
  Router,
} from 'express';
import { ApingError, createRequestIds, RpcError } from '../../betfair/aping-errors.js';
import {
  answerJsonRpc,
  answerRest,
  type BettingEndpoint,
  type CallResult,
  type ReadBody,
} from '../../betfair/betting-http.js';
import {
  isOperation,
  type MarketSource,
  OPERATIONS,
  runOperation,
} from '../../betfair/betting-operations.js';
import type { MarketBook } from '../../betfair/market-schemas.js';
import type { ListedMarket } from '../../betfair/market-filter.js';
import { hasCode } from '../../platform/errors.js';
import type { Logger } from '../../platform/logging.js';
import type { FeedSnapshot } from './snapshot.js';

/** Betfair's own paths, so an API-NG client needs only a new base URL. */
export const BETTING_JSON_RPC_PATH = '/exchange/betting/json-rpc/v1';
export const BETTING_REST_PATH = '/exchange/betting/rest/v1.0';
const ACCOUNT_JSON_RPC_PATH = '/exchange/account/json-rpc/v1';
const ACCOUNT_REST_PATH = '/exchange/account/rest/v1.0';

const READ_ONLY =
  `This feed is read-only: it answers ${OPERATIONS.join(', ')} from recorded data; ` +
  'it places no bets and holds no account.';

/**
 * The recorded poll as a MarketSource: the catalogue's markets whose latest book is not CLOSED
 * are listed (Betfair's catalogue never lists CLOSED markets), and every recorded book can be
 * asked for. Built once per snapshot; books are parsed when first asked for.
 */
export function snapshotSource(snapshot: FeedSnapshot): MarketSource {
  const recorded = snapshot.books.value;
  const parsed = new Map<string, MarketBook>();
  const book = (marketId: string): MarketBook | undefined => {
    let found = parsed.get(marketId);
    if (found === undefined) {
      const json = recorded.get(marketId);
      if (json === undefined) return undefined;
      found = JSON.parse(json) as MarketBook;
      parsed.set(marketId, found);
    }
    return found;
  };
  const listed: ListedMarket[] = snapshot.catalogue.value.markets.flatMap((catalogue) => {
    const latest = book(catalogue.marketId);
    if (latest?.status === 'CLOSED') return [];
    return [
      {
        catalogue,
        inplay: latest?.inplay ?? false,
        ...(latest ? { totalAvailable: latest.totalAvailable } : {}),
      },
    ];
  });
  return {
    catalogueMarkets: () => listed,
    marketBooks: (marketIds) => marketIds.flatMap((marketId) => book(marketId) ?? []),
  };
}

/** How the betting routes reach the recorded data. */
export interface BettingRoutesOptions {
  /** The latest snapshot, or undefined while nothing has been recorded. */
  snapshot(): Promise<FeedSnapshot | undefined>;
  logger: Logger;
}

/** Why there is no source to answer from, as the SERVICE_BUSY detail says it. */
const NOTHING_RECORDED = 'nothing recorded yet: the recorder has not polled';
const UNREADABLE = 'the recorded data cannot be read just now; try again';

/**
 * Betfair's read-only betting operations on Betfair's own paths: JSON-RPC (single calls and
 * batches) and REST, answered from the recorder's latest poll with Betfair's filters,
 * projections, limits and error envelopes. The X-Application and X-Authentication headers are
 * accepted as sent and never read. Any other operation, and the whole account API, is refused
 * with ACCESS_DENIED saying the feed is read-only.
 */
export function bettingRoutes(
  options: BettingRoutesOptions,
): (RequestHandler | ErrorRequestHandler)[] {
  const sources = new WeakMap<FeedSnapshot, MarketSource>();
  const newRequestId = createRequestIds('chimera-feed');

  const sourceNow = async (): Promise<MarketSource | undefined> => {
    const snapshot = await options.snapshot();
    if (!snapshot) return undefined;
    let source = sources.get(snapshot);
    if (!source) {
      source = snapshotSource(snapshot);
      sources.set(snapshot, source);
    }
    return source;
  };

  const betting = async (): Promise<BettingEndpoint> => {
    let source: MarketSource | string;
    try {
      source = (await sourceNow()) ?? NOTHING_RECORDED;
    } catch (error) {
      options.logger.warn('feed snapshot unreadable for a betting call', { error });
      source = UNREADABLE;
    }
    return {
      call: (operation, params) => callFeed(source, operation, params, Date.now()),
      newRequestId,
    };
  };
  const account: BettingEndpoint = {
    call: () => refuse(),
    newRequestId,
    methodPrefix: 'AccountAPING/v1.0/',
  };

  const router = Router()
    .post(BETTING_JSON_RPC_PATH, async (req, res) => {
      sendBetfair(res, 200, answerJsonRpc(bodyOf(req), await betting()));
    })
    .post(
      `${BETTING_REST_PATH}/:operation{/}`,
      async (req: Request<{ operation: string }>, res) => {
        const answer = answerRest(bodyOf(req), req.params.operation, await betting());
        sendBetfair(res, answer.status, answer.body);
      },
    )
    .post(ACCOUNT_JSON_RPC_PATH, (req, res) => {
      sendBetfair(res, 200, answerJsonRpc(bodyOf(req), account));
    })
    .post(`${ACCOUNT_REST_PATH}/:operation{/}`, (req: Request<{ operation: string }>, res) => {
      const answer = answerRest(bodyOf(req), req.params.operation, account);
      sendBetfair(res, answer.status, answer.body);
    });

  /** A body that is not JSON gets Betfair's answer to it (no call is made), not the platform's. */
  const badBody: ErrorRequestHandler = (error: unknown, req, res, next) => {
    if (!hasCode(error, 'REQUEST.BAD_JSON')) return next(error);
    if (req.path === BETTING_JSON_RPC_PATH || req.path === ACCOUNT_JSON_RPC_PATH) {
      return sendBetfair(res, 200, answerJsonRpc({ ok: false }, account));
    }
    const rest = /^\/exchange\/(?:betting|account)\/rest\/v1\.0\/([^/]+)\/?$/.exec(req.path);
    if (rest?.[1] === undefined) return next(error);
    const answer = answerRest({ ok: false }, rest[1], account);
    sendBetfair(res, answer.status, answer.body);
  };
  return [router, badBody];
}

function bodyOf(req: Request): ReadBody {
  return { ok: true, value: req.body as unknown };
}

function callFeed(
  source: MarketSource | string,
  operation: string,
  params: unknown,
  now: number,
): CallResult {
  try {
    if (!isOperation(operation)) return refuse(operation);
    if (typeof source === 'string') throw new ApingError('SERVICE_BUSY', source);
    return { ok: true, result: runOperation(source, operation, params, now).result };
  } catch (error) {
    if (error instanceof ApingError || error instanceof RpcError) return { ok: false, error };
    throw error;
  }
}

function refuse(operation?: string): CallResult {
  const what = operation ?? 'The account API';
  return {
    ok: false,
    error: new ApingError('ACCESS_DENIED', `${what} is not served. ${READ_ONLY}`),
  };
}

function sendBetfair(res: Response, status: number, body: unknown): void {
  res.status(status).set('cache-control', 'no-store').json(body);
}
