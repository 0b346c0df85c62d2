import { builtinEnvVariables } from '../environment.js';
import type { Frame } from '../runtime.js';
import { expectString, type WorkflowMap } from '../values.js';
import { callHttp } from './http.js';
import { callPublish } from './pubsub.js';
import { callLog, callNow, callSleep } from './sys.js';

/** Runs a built-in call target (the parser has checked the name and argument names). */
export async function callConnector(
  target: string,
  args: WorkflowMap,
  frame: Frame,
): Promise<unknown> {
  if (target.startsWith('http.')) return callHttp(target, args, frame);
  switch (target) {
    case 'sys.sleep':
      return callSleep(args, frame);
    case 'sys.log':
      return callLog(args, frame);
    case 'sys.now':
      return callNow(frame);
    case 'sys.get_env':
      return getEnv(args, frame);
    case 'googleapis.pubsub.v1.projects.topics.publish':
      return callPublish(args, frame);
    default:
      throw new Error(`no connector for ${target}`);
  }
}

function getEnv(args: WorkflowMap, frame: Frame): unknown {
  const values = builtinEnvVariables(frame.rt.environment);
  const name = expectString(args.name, 'sys.get_env name');
  return Object.hasOwn(values, name) ? values[name] : (args.default ?? null);
}
