import { AppError } from '../errors/app-error.js';
import { pluginNotFound } from './plugin-errors.js';
import type { PluginDescription, SourcePlugin } from './source-plugin.js';

/** The source plugins of one process, fixed when it starts. */
export interface PluginRegistry {
  /** The plugin with this id (enabled or not); throws PLUGIN.NOT_FOUND. */
  get(id: string): SourcePlugin;
  /** Every plugin, in the order given. */
  list(): readonly SourcePlugin[];
  /** `GET /api/plugins` items. */
  describe(): PluginDescription[];
  /** The enabled plugin whose longest extension ends the object name, if any. */
  forObject(name: string): SourcePlugin | undefined;
}

/** A registry over `plugins`; ids must be unique. */
export function createPluginRegistry(plugins: readonly SourcePlugin[]): PluginRegistry {
  const byId = new Map(plugins.map((plugin) => [plugin.id, plugin] as const));
  if (byId.size !== plugins.length) {
    throw new AppError('PLUGIN.DUPLICATE_ID', 'internal', 'Two source plugins share an id');
  }
  const all = Object.freeze([...plugins]);
  const byExtension = all
    .filter((plugin) => plugin.enabled)
    .flatMap((plugin) => plugin.extensions.map((ext) => ({ ext, plugin })))
    .sort((a, b) => b.ext.length - a.ext.length);
  return Object.freeze({
    get(id: string): SourcePlugin {
      const plugin = byId.get(id);
      if (plugin === undefined) throw pluginNotFound(id, [...byId.keys()]);
      return plugin;
    },
    list: () => all,
    describe: () => all.map((plugin) => plugin.describe()),
    forObject(name: string): SourcePlugin | undefined {
      const lower = name.toLowerCase();
      return byExtension.find(({ ext }) => lower.endsWith(ext))?.plugin;
    },
  });
}
