import type { WebAssets } from './assets.js';
import { buildApp } from './build-app.js';

let built: Promise<WebAssets> | undefined;

/**
 * The console's files, built once on first use. The deployed bundle replaces this module with
 * one that holds the files already built (cdktf/bundling/bundle.ts), so what runs in the cloud
 * is exactly what was bundled and tested.
 */
export function appAssets(): Promise<WebAssets> {
  if (!built) {
    built = buildApp();
    // A failed build is tried again on the next request rather than kept.
    built.catch(() => (built = undefined));
  }
  return built;
}
