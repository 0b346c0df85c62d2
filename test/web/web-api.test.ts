import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions } from '../../shared/platform/functions.js';
import { createLogger } from '../../shared/platform/logging.js';
import { apiProxy, proxyRoutes } from '../../shared/web/api-proxy.js';
import type { WebAssets } from '../../shared/web/assets.js';
import { buildApp } from '../../shared/web/build-app.js';
import { createWebApi } from '../../shared/web/web-api.js';

async function listen(
  handler: http.RequestListener,
): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('the web function', () => {
  let assets: WebAssets;
  let web: { url: string; server: http.Server };
  let upstream: { url: string; server: http.Server };
  const seen: Seen[] = [];
  const audiences: string[] = [];

  beforeAll(async () => {
    assets = await buildApp();
    upstream = await listen((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(201, { 'content-type': 'application/json', etag: '"v1"' });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    const logger = createLogger({ minSeverity: 'ERROR' });
    const routes = proxyRoutes(
      deployedFunctions({ decompressTopic: 'files' }),
      'web',
      `${upstream.url}/{function}`,
    );
    web = await listen(
      createWebApi({
        logger,
        origins: [],
        assets: () => Promise.resolve(assets),
        apiProxy: apiProxy({
          routes,
          idToken: (audience) => {
            audiences.push(audience);
            return Promise.resolve('token-for-web');
          },
        }),
      }),
    );
  }, 60_000);
  afterAll(() => {
    web.server.close();
    upstream.server.close();
  });

  it('serves the page, which loads only its own two assets, under a policy that forbids others', async () => {
    const page = await fetch(`${web.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(references.filter((r) => r !== 'data:,').map((r) => r.split('?')[0])).toEqual([
      '/assets/app.css',
      '/assets/app.js',
    ]);
    for (const path of ['/assets/app.js', '/assets/app.css']) {
      const asset = await fetch(`${web.url}${path}`);
      expect(asset.status).toBe(200);
      expect(await asset.text()).toBe(assets[path]?.body);
    }
  });

  it('answers an unchanged asset with 304 by its tag, and an unknown one with a JSON 404', async () => {
    const first = await fetch(`${web.url}/assets/app.js`);
    const again = await fetch(`${web.url}/assets/app.js`, {
      headers: { 'if-none-match': first.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
    const missing = await fetch(`${web.url}/assets/other.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'REQUEST.NO_ROUTE' });
  });

  it('passes the page’s API calls on with its own token, without the page’s Origin', async () => {
    const answer = await fetch(`${web.url}/api/pipeline/submit?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: web.url },
      body: JSON.stringify({ sourceBucket: 'b' }),
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('etag')).toBe('"v1"');
    expect(await answer.json()).toEqual({ ok: true });
    const call = seen.at(-1);
    expect(call).toMatchObject({ method: 'POST', url: '/pipeline-api/api/pipeline/submit?x=1' });
    expect(call?.headers.authorization).toBe('Bearer token-for-web');
    expect(call?.headers.origin).toBeUndefined();
    expect(JSON.parse(call?.body ?? '')).toEqual({ sourceBucket: 'b' });
    expect(audiences.at(-1)).toBe(`${upstream.url}/pipeline-api`);

    await fetch(`${web.url}/api/state`);
    expect(seen.at(-1)?.url).toBe('/recorder-api/api/state');
    await fetch(`${web.url}/api/feed/markets`);
    expect(seen.at(-1)?.url).toBe('/feed/api/feed/markets');
  });

  it('keeps the APIs’ browser rules: another site’s page and non-JSON bodies never reach them', async () => {
    const before = seen.length;
    const forged = await fetch(`${web.url}/api/recorder/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{}',
    });
    expect(forged.status).toBe(403);
    const form = await fetch(`${web.url}/api/recorder/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    expect(seen.length).toBe(before);
  });
});
