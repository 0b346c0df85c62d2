import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { inflateRawSync } from 'node:zlib';
import type * as Esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundledArchives, type SourceArchive } from '../../cdktf/bundling/archives.js';
import { bundleFunction } from '../../cdktf/bundling/bundle.js';
import { BUNDLE_TARGET, DEPLOYED_NODE_MAJOR, FUNCTION_RUNTIME } from '../../cdktf/runtime.js';
import { deployedFunctions } from '../../shared/platform/functions.js';
import { ROOT } from './stack-fixture.js';

/** esbuild's metafile and target of every build, by output directory; `build` is unchanged. */
const metafiles = vi.hoisted(() => new Map<string, Esbuild.Metafile>());
const targets = vi.hoisted(() => new Map<string, unknown>());
vi.mock('esbuild', async (importOriginal) => {
  const esbuild = await importOriginal<typeof Esbuild>();
  return {
    ...esbuild,
    build: async (options: Esbuild.BuildOptions) => {
      const result = await esbuild.build(options);
      if (result.metafile && options.outdir) metafiles.set(options.outdir, result.metafile);
      if (options.outdir) targets.set(options.outdir, options.target);
      return result;
    },
  };
});

/** The entries of a zip, read from its central directory. */
function unzip(bytes: Buffer): Map<string, Buffer> {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    files.set(name, inflateRawSync(bytes.subarray(start, start + size)));
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return files;
}

describe('the decompress function bundle', () => {
  let dir: string;
  let archive: SourceArchive;

  beforeAll(async () => {
    // Inside the project (cdktf.out is ignored), so the bundle's packages resolve from the
    // project's node_modules as Cloud Build's install would provide them.
    await mkdir(path.join(ROOT, 'cdktf.out'), { recursive: true });
    dir = await mkdtemp(path.join(ROOT, 'cdktf.out', 'test-bundle-'));
    archive = await bundledArchives(ROOT, dir)('decompress');
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('ships block-worker.js beside the entry, with a package.json Cloud Build can install', async () => {
    const files = unzip(await readFile(archive.path));
    expect([...files.keys()].sort()).toEqual(['block-worker.js', 'index.js', 'package.json']);
    const manifest = JSON.parse(files.get('package.json')?.toString() ?? '{}') as {
      type: string;
      main: string;
      dependencies: Record<string, string>;
    };
    expect(manifest).toMatchObject({
      type: 'module',
      main: 'index.js',
      engines: { node: `>=${DEPLOYED_NODE_MAJOR}` },
    });
    expect(Object.keys(manifest.dependencies)).toContain('@google-cloud/functions-framework');
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
  });

  it('is built for the Node.js the functions are deployed on', () => {
    expect(FUNCTION_RUNTIME).toBe(`nodejs${DEPLOYED_NODE_MAJOR}`);
    expect(BUNDLE_TARGET).toBe(`node${DEPLOYED_NODE_MAJOR}`);
    expect(targets.get(path.join(dir, 'build', 'decompress'))).toBe(BUNDLE_TARGET);
  });

  it('is a zip other tools accept, and the same bytes every time', async () => {
    try {
      execFileSync('unzip', ['-tq', archive.path]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const again = await bundledArchives(ROOT, path.join(dir, 'again'))('decompress');
    expect(again.sha256).toBe(archive.sha256);
  }, 60_000);

  it('loads, and starts its block worker from the file beside it', async () => {
    const built = path.join(dir, 'build', 'decompress');
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(path.join(built, 'index.js'))})`,
      ],
      // As deployed: outside the embedded runtime, local mode is refused at start-up. Creating
      // the Google Cloud clients needs no credentials; only calls would.
      { env: { ...process.env, CHIMERA_MODE: 'cloud' }, cwd: ROOT, timeout: 20_000 },
    );
    const worker = new Worker(path.join(built, 'block-worker.js'));
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
  }, 30_000);
});

describe('every function bundle', () => {
  let dir: string;

  beforeAll(async () => {
    await mkdir(path.join(ROOT, 'cdktf.out'), { recursive: true });
    dir = await mkdtemp(path.join(ROOT, 'cdktf.out', 'test-bundle-all-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const names = deployedFunctions({ decompressTopic: 'files' }).map((spec) => spec.name);

  // shared/local/ is the local runtime; a deployed function that pulls it in has an import
  // the local-stays-local dependency rule should have caught.
  it.each(names)(
    '%s bundles no module from shared/local/',
    async (name) => {
      const bundle = await bundleFunction(ROOT, name, dir);
      const metafile = metafiles.get(bundle.dir);
      expect(metafile, 'the bundler ran with a metafile').toBeDefined();
      const inputs = Object.keys(metafile?.inputs ?? {}).map((input) =>
        input.replaceAll('\\', '/'),
      );
      expect(inputs.some((input) => input.endsWith(`functions/${name}/index.ts`))).toBe(true);
      expect(inputs.filter((input) => input.includes('shared/local/'))).toEqual([]);
    },
    30_000,
  );
});

describe('the web function bundle', () => {
  let dir: string;

  beforeAll(async () => {
    await mkdir(path.join(ROOT, 'cdktf.out'), { recursive: true });
    dir = await mkdtemp(path.join(ROOT, 'cdktf.out', 'test-bundle-web-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('carries the console already built, so it needs neither esbuild nor the app’s sources', async () => {
    const bundle = await bundleFunction(ROOT, 'web', dir);
    const inputs = Object.keys(metafiles.get(bundle.dir)?.inputs ?? {});
    expect(inputs.filter((input) => input.includes('shared/web/app/'))).toEqual([]);
    expect(inputs.some((input) => input.endsWith('build-app.ts'))).toBe(false);
    const manifest = JSON.parse(await readFile(path.join(bundle.dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const pkg of ['esbuild', 'preact', 'uplot']) {
      expect(Object.keys(manifest.dependencies)).not.toContain(pkg);
    }
    const code = await readFile(path.join(bundle.dir, 'index.js'), 'utf8');
    expect(code).toContain('<title>CHIMERA console</title>');
    expect(code).toContain('/assets/app.js');
  }, 60_000);
});
