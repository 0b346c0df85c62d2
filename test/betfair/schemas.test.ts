import { describe, expect, it } from 'vitest';
import { MarketBookSchema, MarketCatalogueSchema } from '../../shared/betfair/market-schemas.js';
import {
  JsonRpcRequestSchema,
  JsonRpcResponseSchema,
  KeepAliveResponseSchema,
  ListMarketBookParamsSchema,
} from '../../shared/betfair/protocol.js';
import { describeWithSamples, readApiSample } from '../support/sample-data.js';

interface Envelope {
  result: unknown[];
}

describeWithSamples('schemas against Betfair samples', () => {
  it('accept the listMarketCatalogue sample and keep every field', () => {
    const envelope = readApiSample('list_market_catalogue.json') as Envelope;
    expect(JsonRpcResponseSchema.parse(envelope)).toEqual(envelope);
    for (const market of envelope.result) {
      expect(MarketCatalogueSchema.parse(market)).toEqual(market);
    }
  });

  it('accept the listMarketBook sample with its orders, matches and "NaN" actualSP', () => {
    const envelope = readApiSample('list_market_book.json') as Envelope;
    const [book] = envelope.result.map((market) => MarketBookSchema.parse(market));
    expect(book).toEqual(envelope.result[0]);
    expect(book?.inplay).toBe(true);
    expect(book).not.toHaveProperty('inPlay');
    expect(book?.betDelayModels).toEqual(['PASSIVE']);
    expect(book?.runners.find((runner) => runner.status === 'REMOVED')?.sp?.actualSP).toBe('NaN');
  });

  it('accept the keep-alive FAIL sample', () => {
    const sample = readApiSample('keep_alive_fail.json');
    expect(KeepAliveResponseSchema.parse(sample)).toMatchObject({ status: 'FAIL' });
  });
});

describe('schemas', () => {
  it('refuse a book whose required fields are missing or misspelt', () => {
    const book = { marketId: '1.2', inPlay: false, status: 'OPEN', runners: [] };
    expect(MarketBookSchema.safeParse(book).success).toBe(false);
  });

  it('refuse an unknown market status', () => {
    const market = { marketId: '1.2', status: 'LIVE' };
    expect(MarketBookSchema.shape.status.safeParse(market.status).success).toBe(false);
  });

  it.each([
    [{ marketIds: ['1.2'] }, true],
    [{ marketIds: [] }, false],
    [{ marketIds: Array.from({ length: 251 }, (_, i) => `1.${i}`) }, false],
    [{ marketIds: ['1.2'], priceProjection: { priceData: ['EX_LADDER'] } }, false],
  ])('listMarketBook params %#', (params, valid) => {
    expect(ListMarketBookParamsSchema.safeParse(params).success).toBe(valid);
  });

  it('read a JSON-RPC request and an APINGException answer', () => {
    const request = {
      jsonrpc: '2.0',
      method: 'SportsAPING/v1.0/listMarketBook',
      params: {},
      id: 1,
    };
    expect(JsonRpcRequestSchema.parse(request)).toEqual(request);
    const failure = {
      jsonrpc: '2.0',
      error: {
        code: -32099,
        message: 'ANGX-0003',
        data: {
          APINGException: { errorCode: 'INVALID_SESSION_INFORMATION', requestUUID: 'x' },
          exceptionname: 'APINGException',
        },
      },
      id: 1,
    };
    expect(JsonRpcResponseSchema.parse(failure)).toEqual(failure);
  });
});
