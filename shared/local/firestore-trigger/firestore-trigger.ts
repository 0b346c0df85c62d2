import type { FirestoreServer, FirestoreStateDocument } from '@firestore-emulator/server';
import type { DocumentEventKind } from '../../platform/functions.js';
import type { Logger } from '../../platform/logging.js';
import type { DeliveryQueue } from '../pubsub/delivery-queue.js';
import { newEventId } from '../pubsub/http-delivery.js';
import {
  documentEvent,
  kindOf,
  type DatabaseRef,
  type DocumentChange,
  toJsonDocument,
  type FirestoreJsonDocument,
} from './document-event.js';

/** Named wildcard values captured from a document path, like Eventarc's path pattern. */
export type PathParams = Record<string, string>;

/** Tests a document path (`jobs/j1/files/f1`) and returns the captured wildcards, or undefined. */
export type PathMatcher = (documentPath: string) => PathParams | undefined;

/**
 * Compiles an Eventarc document path pattern: literal segments, `{name}` or `*` for one
 * segment, and `{name=**}` or `**` for any number of trailing segments.
 */
export function compilePathPattern(pattern: string): PathMatcher {
  const segments = pattern.replace(/^\/+|\/+$/g, '').split('/');
  return (documentPath) => match(segments, documentPath.split('/'));
}

function match(pattern: string[], path: string[]): PathParams | undefined {
  const params: PathParams = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const segment = pattern[i]!;
    const multi = /^\{(\w+)=\*\*\}$/.exec(segment);
    if (segment === '**' || multi) {
      if (multi) params[multi[1]!] = path.slice(i).join('/');
      return i === pattern.length - 1 ? params : undefined;
    }
    const value = path[i];
    if (value === undefined) return undefined;
    const single = /^\{(\w+)(?:=\*)?\}$/.exec(segment);
    if (single) params[single[1]!] = value;
    else if (segment !== '*' && segment !== value) return undefined;
  }
  return pattern.length === path.length ? params : undefined;
}

/** One Eventarc Firestore trigger: which documents, which event kind, which function. */
export interface DocumentTrigger {
  name: string;
  /** A path pattern such as `dataflow-jobs/{jobId}/files/{fileId}`. */
  document: string;
  url: string;
  /** Defaults to `written` (create, update and delete). */
  eventType?: DocumentEventKind;
}

/** What the trigger watches and where it delivers. */
export interface FirestoreTriggerOptions {
  server: FirestoreServer;
  projectId: string;
  queue: DeliveryQueue;
  triggers: readonly DocumentTrigger[];
  location?: string;
  logger?: Logger;
}

const DOCUMENT_EVENTS = ['create-document', 'update-document', 'delete-document'] as const;
const DOCUMENT_NAME = /^projects\/([^/]+)\/databases\/([^/]+)\/documents\/(.+)$/;

interface PendingChange {
  before?: FirestoreJsonDocument;
  after?: FirestoreJsonDocument;
}

/**
 * Fires Firestore document CloudEvents for writes to the embedded emulator. The emulator
 * reports each step of a write (a set, then each field transform) and forgets a deleted
 * document's fields, so this keeps the last state of every watched document and coalesces the
 * steps of one commit into one change. Documents written before `start()` have no known old
 * value unless `start` is given them, so start it before anything writes.
 */
export class FirestoreTrigger {
  private readonly matchers: { trigger: DocumentTrigger; matches: PathMatcher }[];
  private readonly known = new Map<string, FirestoreJsonDocument>();
  private readonly batch = new Map<string, PendingChange>();
  private readonly database: DatabaseRef;
  private readonly listener = ({ document }: { document: FirestoreStateDocument }) =>
    this.observe(document);

  constructor(private readonly options: FirestoreTriggerOptions) {
    this.matchers = options.triggers.map((trigger) => ({
      trigger,
      matches: compilePathPattern(trigger.document),
    }));
    this.database = {
      projectId: options.projectId,
      database: '(default)',
      location: options.location ?? 'local',
    };
  }

  /**
   * Starts watching the emulator's writes. `existing` are documents already there (a journal
   * replayed them): their changes carry them as old values, as Firestore's events would.
   */
  start(existing: Iterable<FirestoreStateDocument> = []): void {
    for (const document of existing) {
      const name = document.getPath();
      if (this.watches(name)) this.known.set(name, toJsonDocument(document));
    }
    for (const event of DOCUMENT_EVENTS) this.options.server.state.emitter.on(event, this.listener);
  }

  /** Stops watching; changes already handed to the queue are still delivered. */
  stop(): void {
    for (const event of DOCUMENT_EVENTS)
      this.options.server.state.emitter.off(event, this.listener);
  }

  /** Runs inside the emulator's commit: it must never throw, or the client's write fails. */
  private observe(document: FirestoreStateDocument): void {
    try {
      const name = document.getPath();
      if (!this.watches(name)) return;
      const after = document.metadata.hasExist ? toJsonDocument(document) : undefined;
      if (this.batch.size === 0) queueMicrotask(() => this.flush());
      const pending = this.batch.get(name) ?? { before: this.known.get(name) };
      this.batch.set(name, { ...pending, after });
      if (after) this.known.set(name, after);
      else this.known.delete(name);
    } catch (error) {
      this.options.logger?.error('cannot observe document write', { error });
    }
  }

  private watches(name: string): boolean {
    const parsed = DOCUMENT_NAME.exec(name);
    if (!parsed || parsed[1] !== this.database.projectId || parsed[2] !== '(default)') return false;
    return this.matchers.some(({ matches }) => matches(parsed[3]!) !== undefined);
  }

  /** Runs after the commit's synchronous steps, so each document's change is complete. */
  private flush(): void {
    const changes = [...this.batch];
    this.batch.clear();
    for (const [name, { before, after }] of changes) {
      if (!before && !after) continue;
      const documentPath = DOCUMENT_NAME.exec(name)![3]!;
      const time = after?.updateTime ?? new Date().toISOString();
      this.dispatch({ id: newEventId(), documentPath, before, after, time });
    }
  }

  private dispatch(change: DocumentChange): void {
    const kind = kindOf(change);
    for (const { trigger, matches } of this.matchers) {
      const eventType = trigger.eventType ?? 'written';
      if (eventType !== 'written' && eventType !== kind) continue;
      if (!matches(change.documentPath)) continue;
      const event = documentEvent(eventType, this.database, change);
      try {
        this.options.queue.enqueue({ name: trigger.name, url: trigger.url, event: () => event });
      } catch (error) {
        this.options.logger?.error('cannot queue document event', { trigger: trigger.name, error });
      }
    }
  }
}
