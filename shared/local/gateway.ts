import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';

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
