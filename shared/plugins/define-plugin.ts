import type { LineTransform } from '../lines/line-options.js';
import { buildPatterns } from './build-patterns.js';
import type { Compression, Decoder, PluginDescription, SourcePlugin } from './source-plugin.js';

/** What makes one plugin different from another; the shared behaviour is added by definePlugin. */
export interface PluginSpec {
  id: string;
  name: string;
  description: string;
  extensions: readonly string[];
  compression: Compression;
  enabled?: boolean;
  decoder: Decoder;
  transformLine?: LineTransform;
  /** Throws PLUGIN.INVALID_DATASET for a dataset outside the source's layout; default: any. */
  validateDataset?: (dataset: string) => void;
}

/** A frozen SourcePlugin from its spec, with pattern building and description filled in. */
export function definePlugin(spec: PluginSpec): SourcePlugin {
  const extensions = Object.freeze(spec.extensions.map((ext) => ext.toLowerCase()));
  const validateDataset = spec.validateDataset ?? (() => undefined);
  const description: PluginDescription = {
    id: spec.id,
    name: spec.name,
    extensions: [...extensions],
    compression: spec.compression,
    enabled: spec.enabled ?? true,
    description: spec.description,
  };
  return Object.freeze({
    ...description,
    extensions,
    decoder: spec.decoder,
    ...(spec.transformLine ? { transformLine: spec.transformLine } : {}),
    validateDataset,
    buildPatterns(paths: readonly string[], dataset?: string): string[] {
      if (dataset !== undefined && dataset !== '') validateDataset(dataset);
      return buildPatterns(paths, dataset ?? '', extensions);
    },
    describe: (): PluginDescription => ({ ...description, extensions: [...extensions] }),
  });
}
