/** The parts of a CloudEvent a handler reads; functions-framework's CloudEvent satisfies it. */
export interface IncomingEvent {
  id: string;
  type?: string;
  data?: unknown;
}
