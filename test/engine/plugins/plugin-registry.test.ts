import { describe, expect, it } from 'vitest';
import {
  createNdjsonGzipPlugin,
  createNdjsonPlugin,
} from '../../../shared/engine/plugins/ndjson.js';
import { createPluginRegistry } from '../../../shared/engine/plugins/plugins.js';
import { createSourcePlugins } from '../../../shared/engine/plugins/source-plugins.js';
import { bzip2Cli } from '../../support/bzip2.js';

const registry = createSourcePlugins({ decodeBz2: bzip2Cli });

describe('PluginRegistry', () => {
  it('finds a plugin by id', () => {
    expect(registry.get('betfair').compression).toBe('bz2');
    expect(registry.get('ndjson-gzip').compression).toBe('gzip');
  });

  it('rejects an unknown id, listing the available ones', () => {
    expect(() => registry.get('racing-api')).toThrow(
      expect.objectContaining({
        code: 'PLUGIN.NOT_FOUND',
        kind: 'invalid',
        message: expect.stringContaining('betfair, ndjson-gzip, ndjson') as unknown,
      }),
    );
  });

  it('lists plugins in the /api/plugins shape', () => {
    expect(registry.describe()[0]).toEqual({
      id: 'betfair',
      name: 'Betfair Historical Data',
      extensions: ['.bz2'],
      compression: 'bz2',
      enabled: true,
      description: expect.stringContaining('BASIC, ADVANCED, PRO') as unknown,
    });
    expect(registry.list().map((plugin) => plugin.id)).toEqual([
      'betfair',
      'ndjson-gzip',
      'ndjson',
    ]);
  });

  it.each([
    ['PRO/2022/Apr/19/31389771/1.197931750.bz2', 'betfair'],
    ['exports/day.ndjson.gz', 'ndjson-gzip'],
    ['exports/day.json.gz', 'ndjson-gzip'],
    ['exports/DAY.GZ', 'ndjson-gzip'],
    ['exports/day.jsonl', 'ndjson'],
    ['exports/day.json', 'ndjson'],
    ['exports/day.csv', undefined],
    ['exports/bz2', undefined],
  ])('picks the plugin for %s', (name, id) => {
    expect(registry.forObject(name)?.id).toBe(id);
  });

  it('ignores disabled plugins when matching objects', () => {
    const partial = createPluginRegistry([createNdjsonPlugin(false), createNdjsonGzipPlugin()]);
    expect(partial.forObject('a.ndjson')).toBeUndefined();
    expect(partial.get('ndjson').enabled).toBe(false);
  });

  it('refuses two plugins with the same id', () => {
    expect(() => createPluginRegistry([createNdjsonPlugin(), createNdjsonPlugin()])).toThrow(
      expect.objectContaining({ code: 'PLUGIN.DUPLICATE_ID' }),
    );
  });

  it('cannot be changed after it is built', () => {
    const plugins = registry.list() as unknown as unknown[];
    expect(() => plugins.push(createNdjsonPlugin())).toThrow(TypeError);
    expect(Object.isFrozen(registry.get('betfair'))).toBe(true);
  });
});
