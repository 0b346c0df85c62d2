import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

/** How to answer: a JSON body, raw text, a delay, or a dropped connection. */
export interface Reply {
  status?: number;
  json?: unknown;
  text?: string;
  delayMs?: number;
  hangUp?: boolean;
}

export type Handler = (request: RecordedRequest, index: number) => Reply;

/** A real HTTP server on 127.0.0.1 that records every request and answers through `handler`. */
export interface FakeBetfair {
  url: string;
  requests: RecordedRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startFakeBetfair(initial: Handler): Promise<FakeBetfair> {
  let handler = initial;
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        json: parse(body),
      };
      requests.push(recorded);
      const reply = handler(recorded, requests.length - 1);
      const send = () => {
        if (reply.hangUp) return void req.socket.destroy();
        const text = reply.text ?? JSON.stringify(reply.json ?? null);
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        res.end(text);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (next) => void (handler = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON-RPC success answer. */
export function rpcResult(result: unknown, id: unknown = 1): Reply {
  return { json: { jsonrpc: '2.0', result, id } };
}

/** A JSON-RPC answer carrying an APINGException, shaped as Betfair sends it. */
export function apingError(errorCode: string, id: unknown = 1, errorDetails = ''): Reply {
  return {
    json: {
      jsonrpc: '2.0',
      error: {
        code: -32099,
        message: 'ANGX-0003',
        data: {
          APINGException: { errorCode, errorDetails, requestUUID: 'prdang001-0101-000001' },
          exceptionname: 'APINGException',
        },
      },
      id,
    },
  };
}

/** A generic JSON-RPC error (-32700, -32601, -32602). */
export function rpcError(code: number, message: string, id: unknown = 1): Reply {
  return { json: { jsonrpc: '2.0', error: { code, message }, id } };
}
