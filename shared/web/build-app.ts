import path from 'node:path';
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import type { WebAsset, WebAssets } from './assets.js';

/** The single-page app's entry; everything it imports is bundled, nothing loads from elsewhere. */
export const APP_ENTRY = path.join(import.meta.dirname, 'app', 'main.tsx');

function asset(contentType: string, body: string): WebAsset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { contentType, body, etag };
}

function indexHtml(js: WebAsset, css: WebAsset): string {
  const version = (a: WebAsset) => a.etag.slice(1, 9);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>CHIMERA console</title>',
    // No favicon request: the page loads nothing but its own two assets.
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="/assets/app.css?v=${version(css)}">`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    `<script src="/assets/app.js?v=${version(js)}"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Builds the console with esbuild into memory: one minified script (Preact and uPlot inside)
 * and one stylesheet, plus the page that loads them. The deployed `web` bundle carries this
 * output instead of building (cdktf/bundling/bundle.ts), so it needs no esbuild at run time.
 */
export async function buildApp(): Promise<WebAssets> {
  const result = await build({
    entryPoints: { app: APP_ENTRY },
    bundle: true,
    minify: true,
    write: false,
    outdir: 'assets',
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const text = (ext: string) => {
    const file = result.outputFiles.find((f) => f.path.endsWith(ext));
    if (!file) throw new Error(`the console build made no ${ext} file`);
    return file.text;
  };
  const js = asset('text/javascript; charset=utf-8', text('.js'));
  const css = asset('text/css; charset=utf-8', text('.css'));
  return {
    '/': asset('text/html; charset=utf-8', indexHtml(js, css)),
    '/assets/app.js': js,
    '/assets/app.css': css,
  };
}
