import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createFeedApi } from '../../shared/live/feed/feed-api.js';
import { LocalObjectStore } from '../../shared/local/adapters/object-store.js';
import { createLogger } from '../../shared/platform/logging.js';
import {
  BASE_PATH,
  BUCKET,
  simulatedSnapshot,
  writeSnapshot,
} from '../live/feed/snapshot-fixture.js';
import { tempStore } from '../support/temp-store.js';

/**
 * Feed under concurrent load against a static server returning the same bytes.
 * The feed function is served through functions-framework from a temporary local store holding
 * a simulated racing day's snapshot (~840 markets, ~3.5 MB of catalogue); the static node:http
 * server answers each path with the bytes the feed gave for it, and `ff-static` answers the same
 * bytes through functions-framework, to tell the framework's cost from the feed's. All run in one
 * child process, one loaded at a time, while autocannon drives them from this process on
 * 127.0.0.1. Prints requests/s and p50/p99 latency for each endpoint and the ratios.
 * On the 2-core build machine the framework alone costs ~4x against node:http for small bodies;
 * the 3.5 MB catalogue is bound by copying bytes, so there all three are close.
 * Run: npx tsx test/bench/feed.bench.ts [seconds-per-run] [connections]   (default 6 16)
 */

/** One kind of request the bench sends, in the same sequence to both servers. */
interface Scenario {
  name: string;
  requests: { method: 'GET' | 'POST'; path: string; body?: string }[];
}

interface Histogram {
  average: number;
  p50: number;
  p99: number;
}

interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  non2xx: number;
}

interface Ports {
  feedPort: number;
  staticPort: number;
  frameworkPort: number;
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

/** autocannon ships no types; only the fields read here are declared. */
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const JSON_HEADERS = { 'content-type': 'application/json' };

function scenarios(marketIds: string[]): Scenario[] {
  const tenIds = JSON.stringify({ market_ids: marketIds.slice(100, 110) });
  return [
    { name: 'GET /api/feed/markets', requests: [{ method: 'GET', path: '/api/feed/markets' }] },
    {
      name: 'GET /api/feed/book/:id',
      requests: marketIds
        .slice(0, 50)
        .map((id) => ({ method: 'GET', path: `/api/feed/book/${id}` })),
    },
    {
      name: 'POST /api/feed/books (10 ids)',
      requests: [{ method: 'POST', path: '/api/feed/books', body: tenIds }],
    },
  ];
}

// ---- child process: the two servers ----

async function serve(dataDir: string, allRequests: Scenario['requests']): Promise<void> {
  const objectStore = new LocalObjectStore({ dataDir });
  const logger = createLogger({ minSeverity: 'ERROR' });
  http('feed', createFeedApi({ objectStore, logger, bucket: BUCKET, basePath: BASE_PATH }));
  const feed = getTestServer('feed');
  const feedPort = await listen(feed);
  const bytes = await recordAnswers(`http://127.0.0.1:${feedPort}`, allRequests);
  const staticPort = await listen(createServer((req, res) => answerStatic(bytes, req, res)));
  // The same static answers through functions-framework: what the framework itself costs.
  http('static', (req, res) => answerStatic(bytes, req, res));
  const frameworkPort = await listen(getTestServer('static'));
  console.log(JSON.stringify({ feedPort, staticPort, frameworkPort }));
}

/** The feed's answer for every request the bench will send, keyed by method and path. */
async function recordAnswers(
  base: string,
  requests: Scenario['requests'],
): Promise<Map<string, Buffer>> {
  const bytes = new Map<string, Buffer>();
  for (const request of requests) {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: request.body ? JSON_HEADERS : {},
      body: request.body,
    });
    if (response.status !== 200) throw new Error(`${request.path}: ${response.status}`);
    bytes.set(`${request.method} ${request.path}`, Buffer.from(await response.arrayBuffer()));
  }
  return bytes;
}

function answerStatic(bytes: Map<string, Buffer>, req: IncomingMessage, res: ServerResponse): void {
  const reply = () => {
    const body = bytes.get(`${req.method} ${req.url}`);
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { ...JSON_HEADERS, 'content-length': body.length }).end(body);
  };
  // functions-framework has read the body already; a plain server drains it first.
  if (req.readableEnded || req.complete) return reply();
  req.resume();
  req.on('end', reply);
}

async function listen(server: ReturnType<typeof createServer>): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

// ---- parent process: the load ----

async function startServers(
  dataDir: string,
  requests: Scenario['requests'],
): Promise<{ child: ChildProcess } & Ports> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, self, '--serve', dataDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(JSON.stringify(requests));
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return { child, ...(JSON.parse(line) as Ports) };
}

async function load(
  port: number,
  scenario: Scenario,
  seconds: number,
  connections: number,
): Promise<AutocannonResult> {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    maxOverallRequests: 2_000_000,
    timeout: 10,
    requests: scenario.requests.map((r) => ({
      ...r,
      headers: r.body ? JSON_HEADERS : {},
    })),
  });
}

function row(label: string, result: AutocannonResult): string {
  const bad = result.errors + result.non2xx;
  return (
    `  ${label.padEnd(9)} ${result.requests.average.toFixed(0).padStart(8)} req/s` +
    `   p50 ${result.latency.p50.toFixed(1).padStart(6)} ms   p99 ${result.latency.p99.toFixed(1).padStart(6)} ms` +
    (bad > 0 ? `   ${bad} failed` : '')
  );
}

function ratio(label: string, a: AutocannonResult, b: AutocannonResult): string {
  const throughput = a.requests.average / b.requests.average;
  const p99 = a.latency.p99 / Math.max(b.latency.p99, 1);
  return `  ${label}: throughput ${throughput.toFixed(2)}, p99 ${p99.toFixed(2)}`;
}

/** Runs every scenario against both servers and prints the comparison. */
export async function main(seconds = 6, connections = 16): Promise<void> {
  const { store, dataDir } = await tempStore();
  const snapshot = simulatedSnapshot({ hour: 15 });
  await writeSnapshot(store, snapshot);
  const catalogueBytes = Buffer.byteLength(JSON.stringify(snapshot.catalogue));
  console.log(
    `feed bench: ${snapshot.catalogue.length} markets, catalogue ${(catalogueBytes / 1e6).toFixed(1)} MB, ` +
      `${connections} connections, ${seconds} s a run after a 1 s warm-up`,
  );
  const plan = scenarios(snapshot.catalogue.map((m) => m.marketId));
  const servers = await startServers(
    dataDir,
    plan.flatMap((s) => s.requests),
  );
  try {
    for (const scenario of plan) {
      console.log(scenario.name);
      const results: AutocannonResult[] = [];
      for (const [label, port] of [
        ['feed', servers.feedPort],
        ['static', servers.staticPort],
        ['ff-static', servers.frameworkPort],
      ] as const) {
        await load(port, scenario, 1, connections);
        const result = await load(port, scenario, seconds, connections);
        results.push(result);
        console.log(row(label, result));
      }
      const [feed, fixed, framework] = results as [
        AutocannonResult,
        AutocannonResult,
        AutocannonResult,
      ];
      console.log(ratio('feed/static', feed, fixed));
      console.log(ratio('feed/ff-static', feed, framework));
    }
  } finally {
    servers.child.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === '--serve') {
    await serve(process.argv[3]!, JSON.parse(await readStdin()) as Scenario['requests']);
  } else {
    await main(Number(process.argv[2] ?? 6), Number(process.argv[3] ?? 16));
  }
}
