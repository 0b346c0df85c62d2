import type { RequestHandler } from 'express';
import { AppError } from '../platform/errors.js';
import type { FunctionSpec } from '../platform/functions.js';

/** Where one path prefix is served: the function's root URL. */
export interface ProxyRoute {
  prefix: string;
  url: string;
}

/**
 * The routes of every public HTTP function but `self`, with `{function}` in `template` replaced
 * by the function's name (`https://{function}-123.europe-west2.run.app`).
 */
export function proxyRoutes(
  specs: readonly FunctionSpec[],
  self: string,
  template: string,
): ProxyRoute[] {
  return specs
    .flatMap((spec) =>
      spec.name === self || spec.trigger.kind !== 'http' || spec.trigger.internal === true
        ? []
        : spec.trigger.routes.map((prefix) => ({
            prefix,
            url: template.replace('{function}', spec.name),
          })),
    )
    .sort((a, b) => b.prefix.length - a.prefix.length);
}

const FORWARDED_HEADERS = ['accept', 'if-none-match'];
const RETURNED_HEADERS = ['content-type', 'etag', 'cache-control', 'retry-after'];

/**
 * In the cloud each function has its own address, so the console's page, served by `web`,
 * reaches the APIs through it: same-origin for the browser, which keeps the APIs' browser
 * rules whole. This boundary has already applied them (the page's own origin, a JSON body);
 * the call goes on as a program's, without the page's Origin, with `web`'s own identity token
 * (its service account is an invoker of the APIs and nothing else).
 */
export function apiProxy(options: {
  routes: readonly ProxyRoute[];
  idToken: (audience: string) => Promise<string>;
  timeoutMs?: number;
}): RequestHandler {
  return async (req, res, next) => {
    const route = options.routes.find(
      ({ prefix }) => req.path === prefix || req.path.startsWith(`${prefix}/`),
    );
    if (!route) return next();
    const headers: Record<string, string> = {
      authorization: `Bearer ${await options.idToken(route.url)}`,
    };
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    if (hasBody) headers['content-type'] = 'application/json';
    let answer: Response;
    try {
      answer = await fetch(`${route.url}${req.originalUrl}`, {
        method: req.method,
        headers,
        body: hasBody ? JSON.stringify(req.body ?? {}) : undefined,
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
        redirect: 'manual',
      });
    } catch {
      throw new AppError('HTTP.UNREACHABLE', 'unavailable', `Cannot reach ${route.prefix}`);
    }
    res.status(answer.status);
    for (const name of RETURNED_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) res.set(name, value);
    }
    res.send(Buffer.from(await answer.arrayBuffer()));
  };
}
