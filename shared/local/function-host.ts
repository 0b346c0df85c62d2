import type { RequestListener } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { FunctionSpec } from '../deployment/functions.js';
import type { GatewayRoute } from './gateway.js';

/** The repository root, where `functions/<name>/index.ts` live. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Loads each function's entry file (which registers its handler with functions-framework)
 * and returns the framework's own request handler for it: the same Express stack that serves
 * the function in Cloud Functions, with its body parsing and CloudEvent decoding.
 */
export async function loadFunction(
  spec: FunctionSpec,
  functionsDir = path.join(PROJECT_ROOT, 'functions'),
): Promise<RequestListener> {
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
