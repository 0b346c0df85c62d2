import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequestIds } from '../../betfair/aping-errors.js';
import {
  type Clock,
  type SimulatorState,
  createFaults,
  createSimulatorClock,
  parseTime,
  toLatency,
  createSessionStore,
  createStats,
} from './control.js';
import {
  applyControl,
  controlRoutes,
  type ControlRequest,
  keepAliveHandler,
  jsonRpcHandler,
  restHandler,
} from './http.js';
import type { DayOptions } from './model/day-plan.js';
import { createExchange } from './model/exchange.js';

/** The app key a simulator accepts when none are configured. */
export const DEFAULT_APP_KEY = 'chimera-simulator';

/** How to start a simulator; everything has a default. */
export interface ExchangeSimulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** Seeds the racing, prices, tokens and injected faults. */
  seed?: number;
  /** Where simulated time comes from; real time by default. */
  clock?: Clock;
  /** Start at this instant (ISO or epoch ms), standing still unless `speed` is given. */
  startTime?: string | number;
  /** Simulated milliseconds per real millisecond after `startTime`. */
  speed?: number;
  /** Accepted X-Application keys. */
  appKeys?: string[];
  /** Minutes without a keep-alive before a session dies; null for never. Default 12 hours. */
  sessionTimeoutMinutes?: number | null;
  /** A fixed delay in ms, or a [min, max] range, before each Betfair answer. */
  latencyMs?: number | [number, number];
  /** How much racing a day has; a full UK/IE card by default. */
  day?: DayOptions;
}

/** A running simulator. */
export interface ExchangeSimulator {
  /** Stands in for https://api.betfair.com: append /exchange/betting/json-rpc/v1 and so on. */
  url: string;
  /** Stands in for https://identitysso.betfair.com: append /api/keepAlive. */
  identityUrl: string;
  /** A configured app key and a live session token issued at start. */
  appKey: string;
  sessionToken: string;
  state: SimulatorState;
  /** Moves simulated time (see SimulatorClock.set). */
  setClock(time: number | string | Date, speed?: number): void;
  /** A new live session token. */
  issueSession(): string;
  /** Applies the same changes as POST /simulator/control. */
  control(request: ControlRequest): void;
  close(): Promise<void>;
}

/** Starts an HTTP server that answers like Betfair's betting and identity APIs. */
export async function startExchangeSimulator(
  options: ExchangeSimulatorOptions = {},
): Promise<ExchangeSimulator> {
  const state = createState(options);
  const server = createServer(buildApp(state, options.host ?? '127.0.0.1'));
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    identityUrl: url,
    appKey: [...state.appKeys][0] ?? DEFAULT_APP_KEY,
    sessionToken: state.sessions.issue(state.clock.now()),
    state,
    setClock: (time, speed) =>
      state.clock.set(parseTime(time instanceof Date ? time.getTime() : time), speed),
    issueSession: () => state.sessions.issue(state.clock.now()),
    control: (request) => applyControl(state, request),
    close: () => close(server),
  };
}

function createState(options: ExchangeSimulatorOptions): SimulatorState {
  const seed = options.seed ?? 1;
  const clock = createSimulatorClock(options.clock ?? { now: () => Date.now() });
  if (options.startTime !== undefined) clock.set(parseTime(options.startTime), options.speed ?? 0);
  const latency = toLatency(options.latencyMs ?? 0);
  return {
    seed,
    exchange: createExchange(seed, options.day),
    clock,
    sessions: createSessionStore(
      seed,
      options.sessionTimeoutMinutes === undefined ? 12 * 60 : options.sessionTimeoutMinutes,
    ),
    faults: createFaults(seed, latency),
    stats: createStats(),
    appKeys: new Set(options.appKeys ?? [DEFAULT_APP_KEY]),
    newRequestId: createRequestIds('prdang-sim'),
  };
}

function buildApp(state: SimulatorState, host: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(ownHostOnly(host));
  // Bodies are read as text so malformed JSON can be answered in Betfair's own error format.
  app.use(express.text({ type: () => true, limit: '2mb' }));
  app.use(controlRoutes(state));
  const delay = latency(state);
  app.post('/exchange/betting/json-rpc/v1', delay, jsonRpcHandler(state));
  app.post('/exchange/betting/rest/v1.0/:operation{/}', delay, restHandler(state));
  app.all('/api/keepAlive', delay, keepAliveHandler(state));
  return app;
}

/** Names this machine's own address goes by; a page under any other name is refused. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Answers only requests that name this server by an address of its own, so a web page cannot
 * reach the control endpoints through a DNS name it points at 127.0.0.1.
 */
function ownHostOnly(host: string) {
  const names = new Set([...LOOPBACK_NAMES, host.toLowerCase()]);
  return (req: Request, res: Response, next: NextFunction): void => {
    const name = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (names.has(name)) return next();
    res.status(403).json({ detail: 'Unknown Host: the simulator answers only to its own address' });
  };
}

function latency(state: SimulatorState) {
  return (_req: Request, _res: Response, next: NextFunction): void => {
    const ms = state.faults.nextDelay();
    if (ms <= 0) return next();
    sleep(ms).then(() => next(), next);
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
