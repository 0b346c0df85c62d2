import path from 'node:path';
import http from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { RequestListener, IncomingMessage, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { useLocalAdapters } from './adapters/platform.js';
import type { FunctionSpec } from '../platform/functions.js';

/** The repository root, where `functions/<name>/index.ts` live. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Loads each function's entry file (which registers its handler with functions-framework),
 * with the local adapters installed for the platform it builds,
 * and returns the framework's own request handler for it: the same Express stack that serves
 * the function in Cloud Functions, with its body parsing and CloudEvent decoding.
 */
export async function loadFunction(
  spec: FunctionSpec,
  functionsDir = path.join(PROJECT_ROOT, 'functions'),
): Promise<RequestListener> {
  useLocalAdapters();
  const entry = path.join(functionsDir, spec.name, 'index.ts');
  await import(pathToFileURL(entry).href);
  const [listener] = getTestServer(spec.name).listeners('request') as RequestListener[];
  if (!listener) throw new Error(`function ${spec.name} registered no handler`);
  return listener;
}

/** Gateway routes for a function: its cloud-style `/<name>` URL and, for HTTP functions, its documented paths. */
export function routesFor(spec: FunctionSpec, handle: RequestListener): GatewayRoute[] {
  const own: GatewayRoute = { prefix: `/${spec.name}`, strip: true, target: spec.name, handle };
  if (spec.trigger.kind !== 'http') return [own];
  return [
    own,
    ...spec.trigger.routes.map((prefix) => ({ prefix, strip: false, target: spec.name, handle })),
  ];
}

/** One destination of the gateway: requests whose path starts with a prefix go to `handle`. */
export interface GatewayRoute {
  /** `/health`, `/api/pipeline`, …: matches the path itself and anything below it. */
  prefix: string;
  /** Removed from the path before dispatch (cloud-style `/<function>/…` URLs). */
  strip: boolean;
  target: string;
  handle: RequestListener;
}

/**
 * The local gateway: one HTTP port in front of every function, like the cloud's per-function
 * URLs and documented paths combined. Longest prefix wins.
 */
export class Gateway {
  private routes: GatewayRoute[] = [];
  private ready = false;
  readonly server = http.createServer((req, res) => this.dispatch(req, res));

  /** Adds routes; callable after listening, so functions can load once the port is known. */
  add(...routes: GatewayRoute[]): void {
    this.routes = [...this.routes, ...routes].sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Starts dispatching; until then every request gets a 503 that says to retry. */
  markReady(): void {
    this.ready = true;
  }

  /** Which target serves a path, for start-up output and tests. */
  targetOf(path: string): string | undefined {
    return this.match(path)?.target;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, resolve);
    });
    const address = this.server.address();
    if (typeof address !== 'object' || !address) throw new Error('gateway has no address');
    return `http://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  routeTable(): { prefix: string; target: string }[] {
    return this.routes.map(({ prefix, target }) => ({ prefix, target }));
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    if (!this.ready) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ detail: 'CHIMERA is starting; retry in a moment' }));
      return;
    }
    const url = new URL(req.url ?? '/', 'http://gateway');
    const route = this.match(url.pathname);
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `Nothing serves ${req.method ?? 'GET'} ${url.pathname}` }));
      return;
    }
    if (route.strip) {
      req.url = (url.pathname.slice(route.prefix.length) || '/') + url.search;
    }
    route.handle(req, res);
  }

  private match(path: string): GatewayRoute | undefined {
    return this.routes.find(
      ({ prefix }) =>
        path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`),
    );
  }
}
