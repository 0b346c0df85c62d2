import type { FunctionSpec } from '../deployment/functions.js';
import type { LocalRuntime } from './runtime.js';

/** The start-up text: what listens where, and where data lives. */
export function describeRuntime(runtime: LocalRuntime): string {
  const rows: [string, string][] = [
    ['gateway', runtime.url],
    ['health', `${runtime.url}/health`],
    ...runtime.functions.map((spec): [string, string] => [
      spec.name,
      describeTrigger(spec, runtime.url),
    ]),
    ['firestore', `${runtime.firestore.host} (embedded emulator, in memory)`],
    ['buckets', runtime.bucketsDir],
    [
      'exchange',
      runtime.simulator
        ? `${runtime.simulator.url} (built-in Betfair simulator)`
        : 'Betfair (configured)',
    ],
    ['dead letters', `${runtime.url}/v1/local/deadletters`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
  return ['CHIMERA local runtime', ...lines, 'Press Ctrl-C to stop.', ''].join('\n');
}

function describeTrigger(spec: FunctionSpec, url: string): string {
  const trigger = spec.trigger;
  switch (trigger.kind) {
    case 'http':
      return `HTTP ${url}/${spec.name}/ and ${trigger.routes.join(', ')}`;
    case 'pubsub':
      return `Pub/Sub topic ${trigger.topic}`;
    case 'firestore':
      return `Firestore trigger on ${trigger.document}`;
    case 'scheduled':
      return `scheduled "${trigger.schedule}" (${trigger.timeZone})`;
  }
}
