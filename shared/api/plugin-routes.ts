import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/validate.js';
import type { PluginRegistry } from '../plugins/index.js';
import type { ObjectStore } from '../storage/object-store.js';
import { requireBucket } from './gcp-bucket.js';
import { checkPatterns, selectionPatterns, type ValidationReport } from './plugin-validation.js';

/** What the plugin routes need. */
export interface PluginRoutesDeps {
  plugins: PluginRegistry;
  objectStore: ObjectStore;
  /** Objects counted per pattern before the count stops and reports `truncated`. */
  maxFilesPerJob: number;
}

const validateBody = z.object({
  sourceType: z.string().min(1).default('betfair'),
  sourceBucket: z.string().min(1),
  sourceDataset: z.string().nullish(),
  selectedPaths: z.array(z.string()).min(1).max(1000),
});

/** `GET /api/plugins` and `POST /api/plugins/validate`, in the predecessor API's shapes. */
export function pluginRoutes(deps: PluginRoutesDeps): Router {
  return Router()
    .get('/api/plugins', (_req, res) => {
      res.json({ plugins: deps.plugins.describe() });
    })
    .post('/api/plugins/validate', async (req, res) => {
      res.json(await validateSelection(deps, req.body));
    });
}

/**
 * Checks a selection before a job is submitted: unknown or disabled source type and malformed
 * paths or dataset are 400s, a missing bucket a 404; otherwise every pattern is counted.
 */
async function validateSelection(deps: PluginRoutesDeps, body: unknown): Promise<ValidationReport> {
  const input = parseInput(validateBody, body, 'request body');
  const plugin = deps.plugins.get(input.sourceType);
  const dataset = input.sourceDataset ?? undefined;
  const patterns = selectionPatterns(plugin, input.selectedPaths, dataset);
  await requireBucket(deps.objectStore, input.sourceBucket);
  return checkPatterns(deps.objectStore, input.sourceBucket, patterns, deps.maxFilesPerJob);
}
