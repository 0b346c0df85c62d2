import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { buildApp } from '../../shared/web/build-app.js';
import { BUNDLE_TARGET, DEPLOYED_NODE_MAJOR } from '../runtime.js';

/** A function's built source: its directory and the files in it. */
export interface Bundle {
  name: string;
  dir: string;
  files: string[];
}

// Files a function loads by URL beside its entry; the bundler cannot see them as imports.
const EXTRA_ENTRIES: Record<string, Record<string, string>> = {
  // Bzip2WorkerPool starts `new Worker(new URL('./block-worker.js', import.meta.url))`.
  decompress: { 'block-worker': 'shared/engine/bz2/block-worker.ts' },
};

/**
 * The web console's assets built now and carried in the bundle as a module: the deployed
 * function serves them as they were here, without esbuild or the app's sources.
 */
const prebuiltWebAssets: Plugin = {
  name: 'prebuilt-web-assets',
  setup(plugin) {
    plugin.onResolve({ filter: /\/app-assets\.js$/ }, (args) => ({
      path: path.join(args.resolveDir, 'app-assets.js'),
      namespace: 'prebuilt-web-assets',
    }));
    plugin.onLoad({ filter: /.*/, namespace: 'prebuilt-web-assets' }, async () => ({
      contents: [
        `const assets = ${JSON.stringify(await buildApp())};`,
        'export function appAssets() { return Promise.resolve(assets); }',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

const PLUGINS: Record<string, Plugin[]> = { web: [prebuiltWebAssets] };

/**
 * Bundles `functions/<name>/index.ts` (and any worker entries it starts) into `outDir/<name>/`
 * as ESM, with the project's own code inlined and npm packages left external: the Google
 * clients load their protos from their package folders at run time, so they are installed by
 * Cloud Build from the generated package.json, which lists only the packages the bundle
 * imports, at the versions installed here.
 */
export async function bundleFunction(root: string, name: string, outDir: string): Promise<Bundle> {
  const dir = path.join(outDir, name);
  await mkdir(dir, { recursive: true });
  const entryPoints = {
    index: path.join(root, 'functions', name, 'index.ts'),
    ...Object.fromEntries(
      Object.entries(EXTRA_ENTRIES[name] ?? {}).map(([out, src]) => [out, path.join(root, src)]),
    ),
  };
  const result = await build({
    entryPoints,
    outdir: dir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    plugins: PLUGINS[name] ?? [],
  });
  const imported = new Set(
    Object.values(result.metafile.outputs)
      .flatMap((output) => output.imports)
      .filter((entry) => entry.external)
      .map((entry) => packageName(entry.path))
      .filter((pkg): pkg is string => pkg !== undefined),
  );
  const manifest = {
    name: `chimera-${name}`,
    private: true,
    type: 'module',
    main: 'index.js',
    engines: { node: `>=${DEPLOYED_NODE_MAJOR}` },
    dependencies: Object.fromEntries(
      await Promise.all(
        [...imported]
          .sort()
          .map(async (pkg): Promise<[string, string]> => [pkg, await installed(root, pkg)]),
      ),
    ),
  };
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { name, dir, files: [...Object.keys(entryPoints).map((e) => `${e}.js`), 'package.json'] };
}

/** `@scope/pkg/sub` → `@scope/pkg`; `zod/v4` → `zod`; Node built-ins → undefined. */
function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '')) {
    return undefined;
  }
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The exact version installed in the project, so the cloud runs what the tests ran. */
async function installed(root: string, pkg: string): Promise<string> {
  const text = await readFile(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
