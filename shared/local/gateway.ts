import path from 'node:path';
import http from 'node:http';
import type { Socket } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { RequestListener, IncomingMessage, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { AppError } from '../platform/errors.js';
import {
  frameworkOwnPath,
  hideBodyFromFramework,
  MAX_BODY_BYTES,
  screenRequest,
  sendError,
} from '../platform/http.js';
import type { FunctionSpec } from '../platform/functions.js';
import type { Logger } from '../platform/logging.js';
import { useLocalAdapters } from './adapters/platform.js';
import { hasRunToken } from './run-token.js';

/** The repository root, where `functions/<name>/index.ts` live. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Loads each function's entry file (which registers its handler with functions-framework),
 * with the local adapters installed for the platform it builds (calling the runtime's own
 * endpoints with `runToken`), and returns the framework's own request handler for it: the same
 * Express stack that serves the function in Cloud Functions, with its CloudEvent decoding.
 */
export async function loadFunction(
  spec: FunctionSpec,
  options: { functionsDir?: string; runToken?: string } = {},
): Promise<RequestListener> {
  useLocalAdapters(options.runToken);
  const entry = path.join(options.functionsDir ?? path.join(PROJECT_ROOT, 'functions'), spec.name);
  await import(pathToFileURL(path.join(entry, 'index.ts')).href);
  const [listener] = getTestServer(spec.name).listeners('request') as RequestListener[];
  if (!listener) throw new Error(`function ${spec.name} registered no handler`);
  return listener;
}

/**
 * Gateway routes for a function: its cloud-style `/<name>` URL and, for HTTP functions, its
 * documented paths. Only HTTP functions not marked internal are public; event, scheduled and
 * internal functions are called by the runtime alone (in the cloud only Eventarc, Cloud
 * Scheduler and the job workflow may invoke them).
 */
export function routesFor(spec: FunctionSpec, handle: RequestListener): GatewayRoute[] {
  const trigger = spec.trigger;
  const access = trigger.kind === 'http' && !trigger.internal ? 'public' : 'runtime';
  const httpFunction = trigger.kind === 'http' || trigger.kind === 'scheduled';
  const base = { target: spec.name, handle, access, httpFunction } as const;
  const own: GatewayRoute = { ...base, prefix: `/${spec.name}`, strip: true };
  if (trigger.kind !== 'http') return [own];
  return [own, ...trigger.routes.map((prefix) => ({ ...base, prefix, strip: false }))];
}

/** One destination of the gateway: requests whose path starts with a prefix go to `handle`. */
export interface GatewayRoute {
  /** `/health`, `/api/pipeline`, …: matches the path itself and anything below it (`/` only itself). */
  prefix: string;
  /** Removed from the path before dispatch (cloud-style `/<function>/…` URLs). */
  strip: boolean;
  target: string;
  handle: RequestListener;
  /** `runtime`: only the runtime's own components, which carry the per-run token. */
  access: 'public' | 'runtime';
  /** An HTTP function behind functions-framework: its body is hidden from the framework's parsers. */
  httpFunction: boolean;
  /** The largest body accepted (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
}

/** What the gateway lets in. */
export interface GatewayOptions {
  /** The runtime's per-run token, which `runtime` routes require. */
  runToken?: string;
  /** Host names answered besides the loopback ones (the Host allowlist against DNS rebinding). */
  allowedHosts?: readonly string[];
  logger?: Logger;
}

/** The names a loopback address goes by; a page on any other name is refused. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** The host name of a Host header (`[::1]:8080` → `::1`), lower case. */
export function hostNameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]?.toLowerCase();
  return host.replace(/:\d+$/, '').toLowerCase();
}

/**
 * The local gateway: one HTTP port in front of every function, like the cloud's per-function
 * URLs and documented paths combined. Longest prefix wins. It answers only Host names on its
 * allowlist, keeps runtime routes to holders of the per-run token, and screens every request
 * (declared size, encoding, URL) before any body is read; an HTTP function's body is then read
 * by its own boundary (platform/http.ts), never by functions-framework's parsers.
 */
export class Gateway {
  private routes: GatewayRoute[] = [];
  private ready = false;
  private readonly hosts: Set<string>;
  readonly server = http.createServer((req, res) => this.dispatch(req, res));

  constructor(private readonly options: GatewayOptions = {}) {
    this.hosts = new Set([...LOOPBACK_HOSTS, ...(options.allowedHosts ?? [])]);
    // A request Node cannot parse gets a JSON 400 too, never an empty or HTML answer.
    this.server.on('clientError', (_error: Error, socket: Socket) => {
      if (!socket.writable) return socket.destroy();
      const body = JSON.stringify({ detail: 'Malformed HTTP request', code: 'REQUEST.INVALID' });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
  }

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

  /** Listens on `host` (loopback by default); returns the URL the runtime's parts use. */
  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    if (!LOOPBACK_HOSTS.includes(host)) this.hosts.add(host);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, resolve);
    });
    const address = this.server.address();
    if (typeof address !== 'object' || !address) throw new Error('gateway has no address');
    // Every address on the machine includes loopback, which the runtime's own parts use.
    const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return `http://${local.includes(':') ? `[${local}]` : local}:${address.port}`;
  }

  async close(): Promise<void> {
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  routeTable(): { prefix: string; target: string }[] {
    return this.routes.map(({ prefix, target }) => ({ prefix, target }));
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const refusal = this.refusal(req);
    if (refusal) {
      if (refusal.code === 'RUNTIME.STARTING') res.setHeader('retry-after', '1');
      return sendError(res, refusal, this.options.logger, req.url);
    }
    const url = new URL(req.url ?? '/', 'http://gateway');
    const route = this.match(url.pathname);
    if (!route) {
      const message = `Nothing serves ${req.method ?? 'GET'} ${url.pathname.slice(0, 120)}`;
      return sendError(res, new AppError('REQUEST.NO_ROUTE', 'not_found', message));
    }
    const routeRefusal = this.routeRefusal(req, route);
    if (routeRefusal) return sendError(res, routeRefusal, this.options.logger, url.pathname);
    if (route.strip) {
      req.url = (url.pathname.slice(route.prefix.length) || '/') + url.search;
    }
    if (route.httpFunction) {
      const swallowed = frameworkOwnPath(req.url);
      if (swallowed) return sendError(res, swallowed);
      hideBodyFromFramework(req);
    }
    route.handle(req, res);
  }

  /** What every request must pass: a known Host, a started runtime, a URL that decodes. */
  private refusal(req: IncomingMessage): AppError | undefined {
    const host = hostNameOf(req.headers.host);
    if (!host || !this.hosts.has(host)) {
      return new AppError(
        'REQUEST.FORBIDDEN',
        'invalid',
        'Unknown Host: this server answers only to its own names (add others to ALLOWED_HOSTS)',
      );
    }
    if (!this.ready) {
      return new AppError(
        'RUNTIME.STARTING',
        'unavailable',
        'CHIMERA is starting; retry in a moment',
      );
    }
    return screenRequest(req, Number.MAX_SAFE_INTEGER);
  }

  /** What a route asks besides: the per-run token for runtime routes, its body limit. */
  private routeRefusal(req: IncomingMessage, route: GatewayRoute): AppError | undefined {
    if (route.access === 'runtime' && !hasRunToken(req, this.options.runToken)) {
      return new AppError(
        'REQUEST.UNAUTHENTICATED',
        'invalid',
        `${route.target} is called only by the local runtime itself: the run token is missing or wrong`,
      );
    }
    return screenRequest(req, route.maxBodyBytes ?? MAX_BODY_BYTES);
  }

  private match(path: string): GatewayRoute | undefined {
    return this.routes.find(
      ({ prefix }) =>
        path === prefix ||
        (prefix !== '/' && path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)),
    );
  }
}
