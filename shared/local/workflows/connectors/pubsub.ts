import { AppError } from '../../../errors/app-error.js';
import { WorkflowError } from '../errors.js';
import type { Frame } from '../runtime.js';
import { expectList, expectMap, expectString, type WorkflowMap } from '../values.js';

const TOPIC = /^projects\/[^/]+\/topics\/[^/]+$/;
const STATUS: Record<string, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

/** `googleapis.pubsub.v1.projects.topics.publish`: returns `{messageIds}`. */
export async function callPublish(args: WorkflowMap, frame: Frame): Promise<unknown> {
  const topic = expectString(args.topic, 'topic');
  if (!TOPIC.test(topic)) throw httpError(400, `topic must be projects/P/topics/T, got ${topic}`);
  const messages = expectList(expectMap(args.body, 'body').messages, 'body.messages').map(
    toMessage,
  );
  try {
    return { messageIds: await frame.rt.environment.publish(topic, messages) };
  } catch (error) {
    if (error instanceof AppError) throw httpError(STATUS[error.kind] ?? 500, error.message);
    throw new WorkflowError({ message: String(error), tags: ['ConnectionError'] });
  }
}

function toMessage(value: unknown) {
  const message = expectMap(value, 'message');
  const data = expectString(message.data, 'message.data');
  if (message.attributes === undefined) return { data };
  const attributes = expectMap(message.attributes, 'message.attributes');
  return {
    data,
    attributes: Object.fromEntries(
      Object.entries(attributes).map(([key, v]) => [key, expectString(v, `attribute ${key}`)]),
    ),
  };
}

// Connector failures surface as HTTP errors, the way the Pub/Sub API reports them.
function httpError(code: number, message: string): WorkflowError {
  return new WorkflowError({ code, message, tags: ['HttpError'] });
}
