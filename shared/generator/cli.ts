import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { LocalObjectStore } from '../storage/local-object-store.js';
import { parseCliArgs, UsageError, USAGE } from './cli-args.js';
import { generateSampleData } from './generate.js';

/**
 * Writes sample Betfair historical files into a local bucket folder, e.g.
 * `npx tsx shared/generator/cli.ts --mode normal --seed 1 --out .data/buckets/betfair-historic`.
 * Returns the process exit code.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    const request = parseCliArgs(argv);
    if (request.help) {
      console.log(USAGE);
      return 0;
    }
    const store = new LocalObjectStore({ dataDir: request.dataDir });
    const manifest = await generateSampleData(store, request.bucket, request.options);
    if (request.manifestPath)
      await writeFile(request.manifestPath, JSON.stringify(manifest, null, 2));
    const bytes = manifest.files.reduce((sum, f) => sum + f.storedBytes, 0);
    console.log(
      `wrote ${manifest.files.length} files (${bytes} bytes) to bucket ${manifest.bucket}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof z.ZodError) {
      console.error(
        `${error instanceof z.ZodError ? z.prettifyError(error) : error.message}\n\n${USAGE}`,
      );
      return 2;
    }
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
