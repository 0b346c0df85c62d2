import { CancelledError, runtimeError, throwIfCancelled } from '../errors.js';
import type { Frame } from '../runtime.js';
import { expectNumber, expectString, type WorkflowMap } from '../values.js';

/** `sys.sleep`: waits `seconds`, stopping early on cancellation. */
export async function callSleep(args: WorkflowMap, frame: Frame): Promise<null> {
  const seconds = expectNumber(args.seconds, 'sys.sleep seconds');
  if (seconds < 0) throw runtimeError('ValueError', 'sys.sleep: seconds must not be negative');
  throwIfCancelled(frame.signal);
  try {
    await frame.rt.environment.sleep(seconds * 1000, frame.signal);
  } catch (error) {
    if (frame.signal.aborted) throw new CancelledError();
    throw error;
  }
  throwIfCancelled(frame.signal);
  return null;
}

/** `sys.log`: one entry with `text`, `json` or `data` at `severity` (DEFAULT). */
export function callLog(args: WorkflowMap, frame: Frame): null {
  const severity =
    args.severity === undefined ? 'DEFAULT' : expectString(args.severity, 'severity');
  frame.rt.environment.log(severity, args.text ?? args.json ?? args.data ?? null);
  return null;
}

/** `sys.now`: epoch seconds as a double. */
export function callNow(frame: Frame): number {
  return frame.rt.environment.now() / 1000;
}
