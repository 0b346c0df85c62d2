import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { RequestListener } from 'node:http';
import { pathToFileURL } from 'node:url';
import { AppError } from '../platform/errors.js';
import { isEventDriven, type FunctionSpec } from '../platform/functions.js';
import { discardRest, sendError } from '../platform/http.js';
import type { Logger, Severity } from '../platform/logging.js';
import { PROJECT_ROOT, routesFor, type GatewayRoute } from './gateway.js';

/** What the runtime tells its function host at start (over the IPC channel). */
export interface FunctionHostStart {
  type: 'start';
  functions: readonly FunctionSpec[];
  functionsDir?: string;
  runToken: string;
  allowedHosts: readonly string[];
  /** The port to listen on: 0 the first time, the same one when the host is started again. */
  port: number;
  logLevel: Severity;
}

/** What the function host answers once it serves, or why it could not. */
export type FunctionHostReply =
  { type: 'ready'; url: string } | { type: 'failed'; message: string };

/** A process serving functions, as the cloud runs each function apart from the platform. */
export interface FunctionHost {
  /** Where the functions answer directly (`<url>/<function>`), behind the same run-token rules. */
  url: string;
  /** A gateway handler that passes a request on to the host unchanged. */
  forward: RequestListener;
  /** The host's process id now (a host that dies is started again, under a new one). */
  readonly pid: number | undefined;
  /** Ends the host process and waits for it. */
  stop(): Promise<void>;
}

export interface FunctionHostOptions {
  functions: readonly FunctionSpec[];
  functionsDir?: string;
  runToken: string;
  allowedHosts: readonly string[];
  logLevel: Severity;
  logger: Logger;
}

const HOST_ENTRY = path.join(import.meta.dirname, 'function-host-main.ts');

/** How long a function host may take to load every function and listen. */
const START_LIMIT_MS = 60_000;

/** How long a stopping host may take to exit before it is killed. */
const EXIT_LIMIT_MS = 5000;

/** A pause before a host that died is started again, so a crash at start cannot spin. */
const RESTART_DELAY_MS = 1000;

/**
 * A host serves request after request, each making many short-lived objects (and, under
 * functions-framework's domains, a tracked promise for each): its young generation starts at
 * the size V8 would grow it to anyway, rather than at 1 MB through hundreds of collections as
 * the first job runs. Measured: about a quarter less garbage-collection time over a first job of
 * 1 000 files (`npm run bench -- job`).
 */
const HOST_NODE_FLAGS = ['--min-semi-space-size=16'];

/**
 * Starts the function host: a child process that loads every function with functions-framework
 * (the same Express stack and CloudEvent decoding as Cloud Functions) behind a gateway of its
 * own. The runtime's process keeps the emulator, the bus, the trigger and the workflows, so the
 * functions' work and the platform's spread over two cores, and functions-framework's
 * per-request domains slow only the host. The host exits when the runtime's process dies (its
 * IPC channel closes), and is started again on the same port if it dies on its own.
 */
export async function startFunctionHost(options: FunctionHostOptions): Promise<FunctionHost> {
  const { logger } = options;
  let stopping = false;
  let child: ChildProcess;
  const launch = async (port: number): Promise<string> => {
    // `node --cpu-prof …` on the runtime profiles the host as well.
    const profiling = process.execArgv.filter((arg) => arg.startsWith('--cpu-prof'));
    child = spawn(
      process.execPath,
      [...HOST_NODE_FLAGS, ...profiling, '--import', tsxLoader(), HOST_ENTRY],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    // A failed signal or message to the host is reported here, never thrown at the runtime.
    child.on('error', (error) => logger.warn('function host error', { error: error.message }));
    relayLines(child.stdout, (line) => console.log(line));
    relayLines(child.stderr, (line) => console.error(line));
    const start: FunctionHostStart = {
      type: 'start',
      functions: options.functions,
      functionsDir: options.functionsDir,
      runToken: options.runToken,
      allowedHosts: options.allowedHosts,
      port,
      logLevel: options.logLevel,
    };
    child.send(start);
    const reply = await firstReply(child);
    if (reply.type === 'failed')
      throw new Error(`the function host did not start: ${reply.message}`);
    const listening = Number(new URL(reply.url).port);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      logger.error('the function host exited; starting it again', { code, signal });
      setTimeout(() => {
        if (!stopping) {
          launch(listening).catch((error: unknown) => {
            logger.error('the function host could not be started again', { error: String(error) });
          });
        }
      }, RESTART_DELAY_MS).unref();
    });
    return reply.url;
  };
  const url = await launch(0);
  const agent = new http.Agent({ keepAlive: true });
  return {
    url,
    forward: forwardTo(new URL(url), agent),
    get pid() {
      return child.pid;
    },
    async stop() {
      stopping = true;
      agent.destroy();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // A host may be going already (a signal to the whole process group): its channel may be
      // closed, or close under the message, and then a signal ends it instead.
      if (child.connected) {
        child.send({ type: 'stop' }, (error) => {
          if (error) child.kill('SIGTERM');
        });
      } else {
        child.kill('SIGTERM');
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_LIMIT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The host's log lines are written by this process's console, one JSON line each as before, so
 * whoever captures the runtime's console (a test runner) captures the functions' logs too.
 */
function relayLines(stream: Readable | null, write: (line: string) => void): void {
  if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', write);
}

/**
 * Which functions share a host process. Each event-driven function (Pub/Sub or Firestore
 * triggered) gets one of its own: in the cloud each function is its own service, and these
 * carry a job's per-file work, so a job's decompressing, its status aggregation and the
 * runtime's emulator and bus spread over the machine's cores. The HTTP and scheduled
 * functions, which answer people and clocks, share one.
 */
export function hostGroups(functions: readonly FunctionSpec[]): FunctionSpec[][] {
  const shared = functions.filter((spec) => !isEventDriven(spec));
  return [...functions.filter(isEventDriven).map((spec) => [spec]), shared].filter(
    (group) => group.length > 0,
  );
}

/** The gateway's routes for a function served by the host: the same prefixes and access rules. */
export function forwardedRoutes(spec: FunctionSpec, host: FunctionHost): GatewayRoute[] {
  // The host's own gateway strips prefixes and hides HTTP functions' bodies; here the request
  // passes through untouched.
  return routesFor(spec, host.forward).map((route) => ({
    ...route,
    strip: false,
    httpFunction: false,
  }));
}

function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

async function firstReply(child: ChildProcess): Promise<FunctionHostReply> {
  const timeout = AbortSignal.timeout(START_LIMIT_MS);
  const exited = once(child, 'exit', { signal: timeout }).then(([code]) => ({
    type: 'failed' as const,
    message: `it exited with ${String(code)} while loading the functions`,
  }));
  const replied = once(child, 'message', { signal: timeout }).then(
    ([message]) => message as FunctionHostReply,
  );
  try {
    return await Promise.race([replied, exited]);
  } catch {
    child.kill('SIGKILL');
    return { type: 'failed', message: `no answer within ${START_LIMIT_MS} ms` };
  }
}

/**
 * Passes a request on to `target` as it came, and its answer back. An answer given before the
 * body was all sent (a refusal) ends the forwarding; the rest of the body is then dropped as
 * the host would have dropped it (discardRest), so the client sees the answer, not a reset.
 */
function forwardTo(target: URL, agent: http.Agent): RequestListener {
  return (req, res) => {
    let answer: http.IncomingMessage | undefined;
    const upstream = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (response) => {
        answer = response;
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
        response.on('end', () => {
          if (req.complete) return;
          req.unpipe(upstream);
          upstream.destroy();
          discardRest(req);
        });
      },
    );
    upstream.on('error', () => {
      if (answer?.complete) return;
      if (res.headersSent) return res.destroy();
      res.setHeader('retry-after', '1');
      sendError(
        res,
        new AppError(
          'RUNTIME.FUNCTIONS_UNAVAILABLE',
          'unavailable',
          'The functions are restarting; retry in a moment',
        ),
      );
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
}
