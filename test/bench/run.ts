import path from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * `npm run bench`: every benchmark, one after another, each in its own process so one's memory
 * and worker threads cannot skew the next. Each prints its own table, with the baseline it is
 * measured against in the same run. Pass names to run only some: `npm run bench -- bz2 job`.
 */

const BENCHES: { name: string; file: string; args: string[] }[] = [
  { name: 'bz2', file: 'bz2.bench.ts', args: [] },
  { name: 'lines', file: 'lines.bench.ts', args: [] },
  { name: 'parse', file: 'parse.bench.ts', args: [] },
  { name: 'job', file: 'job.bench.ts', args: ['1000'] },
  { name: 'status-aggregation', file: 'status-aggregation.bench.ts', args: ['2000', '64'] },
  { name: 'recorder', file: 'recorder.bench.ts', args: [] },
  { name: 'feed', file: 'feed.bench.ts', args: [] },
  { name: 'journal', file: 'firestore-journal.bench.ts', args: ['2000'] },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !BENCHES.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown bench ${unknown.join(', ')}; choose from ${BENCHES.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}
let failed = 0;
for (const bench of BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
  console.log(`\n=== ${bench.name} ===`);
  const file = path.join(import.meta.dirname, bench.file);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file, ...bench.args], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    failed++;
    console.error(`${bench.name} bench failed (exit ${run.status ?? run.signal})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
