import { CRC32C } from '@google-cloud/storage';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileObjectGlob } from '../../shared/platform/ports/object-glob.js';

/** One request as the server saw it: method and path with query. */
export interface RecordedRequest {
  method: string;
  url: string;
}

interface StoredObject {
  data: Buffer;
  generation: number;
  updated: Date;
  contentType: string;
  metadata?: Record<string, string>;
}

interface StoredBucket {
  location: string;
  storageClass: string;
  objects: Map<string, StoredObject>;
}

interface UploadSession {
  bucket: string;
  name: string;
  ifGenerationMatch: string | null;
  resource: ObjectResourceInput;
}

interface ObjectResourceInput {
  contentType?: string;
  metadata?: Record<string, string>;
}

/** An answer the handlers give instead of writing to the response themselves. */
class Answer {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

function failure(status: number, message: string): Answer {
  return new Answer(status, { error: { code: status, message, errors: [{ message }] } });
}

const noBucket = () => failure(404, 'The specified bucket does not exist.');
const noObject = (bucket: string, name: string) =>
  failure(404, `No such object: ${bucket}/${name}`);
const preconditionFailed = () =>
  failure(412, 'At least one of the pre-conditions you specified did not hold.');

/**
 * A minimal Cloud Storage JSON API on a local port, in memory: buckets get, insert and list;
 * objects get (metadata and `alt=media` with ranges and generations), list (prefix,
 * `matchGlob`, pages), multipart and resumable uploads, compose and delete, with
 * `ifGenerationMatch`. It answers only what the object store adapter asks and records every
 * request, so tests can see which URLs a client used. Not an emulator of anything else.
 */
export class FakeGcsServer {
  readonly requests: RecordedRequest[] = [];
  private readonly buckets = new Map<string, StoredBucket>();
  private readonly uploads = new Map<string, UploadSession>();
  private readonly server = http.createServer((req, res) => void this.serve(req, res));
  private nextGeneration = 1_700_000_000_000_000;
  private origin = '';

  /** Listens on a free loopback port; resolves to the server's origin (`http://127.0.0.1:N`). */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    return this.origin;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.requests.push({ method: req.method ?? '', url: req.url ?? '' });
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', this.origin);
    let answer: Answer | Buffer;
    try {
      answer = this.route(req, url, body);
    } catch (error) {
      answer = failure(500, error instanceof Error ? error.message : String(error));
    }
    if (Buffer.isBuffer(answer)) {
      res.end(answer);
      return;
    }
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    const type = text ? { 'content-type': 'application/json' } : {};
    res.writeHead(answer.status, { ...type, ...answer.headers }).end(text);
  }

  private route(req: http.IncomingMessage, url: URL, body: Buffer): Answer | Buffer {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const query = url.searchParams;
    if (parts[0] === 'upload' && parts.slice(1, 4).join('/') === 'storage/v1/b') {
      const [bucket = '', o] = parts.slice(4);
      if (o !== 'o') return failure(404, 'Not Found');
      if (method === 'POST') return this.startUpload(bucket, query, req, body);
      if (method === 'PUT') return this.finishResumable(query, body);
    }
    if (parts[0] !== 'storage' || parts[1] !== 'v1' || parts[2] !== 'b') {
      return failure(404, `Not Found: ${url.pathname}`);
    }
    const [bucket, o, name, action] = parts.slice(3);
    if (bucket === undefined) {
      if (method === 'GET') return this.listBuckets();
      if (method === 'POST') return this.insertBucket(JSON.parse(body.toString()) as BucketInput);
    } else if (o === undefined) {
      if (method === 'GET') return this.getBucket(bucket);
    } else if (o === 'o' && name === undefined) {
      if (method === 'GET') return this.listObjects(bucket, query);
    } else if (o === 'o' && name !== undefined && action === undefined) {
      if (method === 'GET') return this.getObject(bucket, name, query, req.headers.range);
      if (method === 'DELETE') return this.deleteObject(bucket, name);
    } else if (o === 'o' && name !== undefined && action === 'compose' && method === 'POST') {
      return this.compose(bucket, name, query, JSON.parse(body.toString()) as ComposeInput);
    }
    return failure(404, `Not Found: ${method} ${url.pathname}`);
  }

  private listBuckets(): Answer {
    const items = [...this.buckets.keys()].sort().map((name) => this.bucketResource(name));
    return new Answer(200, { kind: 'storage#buckets', items });
  }

  private insertBucket(input: BucketInput): Answer {
    if (this.buckets.has(input.name)) {
      return failure(409, 'Your previous request to create the named bucket succeeded.');
    }
    this.buckets.set(input.name, {
      location: input.location ?? 'US',
      storageClass: input.storageClass ?? 'STANDARD',
      objects: new Map(),
    });
    return new Answer(200, this.bucketResource(input.name));
  }

  private getBucket(bucket: string): Answer {
    return this.buckets.has(bucket) ? new Answer(200, this.bucketResource(bucket)) : noBucket();
  }

  private listObjects(bucket: string, query: URLSearchParams): Answer {
    const stored = this.buckets.get(bucket);
    if (!stored) return noBucket();
    const prefix = query.get('prefix') ?? '';
    const glob = query.get('matchGlob');
    const matches = glob === null ? () => true : compileObjectGlob(glob);
    const after = query.get('pageToken');
    const pageSize = Number(query.get('maxResults') ?? 1000);
    const names = [...stored.objects.keys()]
      .filter((name) => name.startsWith(prefix) && matches(name))
      .filter((name) => after === null || byteOrder(name, after) > 0)
      .sort(byteOrder);
    const page = names.slice(0, pageSize);
    const items = page.map((name) => this.objectResource(bucket, name));
    const more = names.length > pageSize;
    return new Answer(200, {
      kind: 'storage#objects',
      items,
      ...(more ? { nextPageToken: page[page.length - 1] } : {}),
    });
  }

  private getObject(
    bucket: string,
    name: string,
    query: URLSearchParams,
    range: string | undefined,
  ): Answer | Buffer {
    const stored = this.buckets.get(bucket);
    if (!stored) return noBucket();
    const object = stored.objects.get(name);
    const generation = query.get('generation');
    if (!object || (generation !== null && generation !== String(object.generation))) {
      return noObject(bucket, name);
    }
    if (query.get('alt') !== 'media') return new Answer(200, this.objectResource(bucket, name));
    const bytes = /^bytes=(\d+)-(\d*)$/.exec(range ?? '');
    if (!bytes) return object.data;
    const start = Number(bytes[1]);
    const end = bytes[2] ? Math.min(Number(bytes[2]), object.data.length - 1) : undefined;
    if (start >= object.data.length) return failure(416, 'Requested range not satisfiable');
    return object.data.subarray(start, end === undefined ? undefined : end + 1);
  }

  private deleteObject(bucket: string, name: string): Answer {
    const stored = this.buckets.get(bucket);
    if (!stored) return noBucket();
    if (!stored.objects.delete(name)) return noObject(bucket, name);
    return new Answer(204);
  }

  private compose(
    bucket: string,
    destination: string,
    query: URLSearchParams,
    input: ComposeInput,
  ): Answer {
    const stored = this.buckets.get(bucket);
    if (!stored) return noBucket();
    const parts: Buffer[] = [];
    for (const source of input.sourceObjects) {
      const object = stored.objects.get(source.name);
      if (!object) return noObject(bucket, source.name);
      parts.push(object.data);
    }
    return this.put(bucket, destination, Buffer.concat(parts), {
      ifGenerationMatch: query.get('ifGenerationMatch'),
      resource: { contentType: input.destination?.contentType },
    });
  }

  private startUpload(
    bucket: string,
    query: URLSearchParams,
    req: http.IncomingMessage,
    body: Buffer,
  ): Answer {
    if (!this.buckets.has(bucket)) return noBucket();
    const name = query.get('name') ?? '';
    const ifGenerationMatch = query.get('ifGenerationMatch');
    const uploadType = query.get('uploadType');
    if (uploadType === 'multipart') {
      const [meta, data] = multipartParts(req.headers['content-type'] ?? '', body);
      const resource = JSON.parse(meta?.toString() || '{}') as ObjectResourceInput;
      return this.put(bucket, name, data ?? Buffer.alloc(0), { ifGenerationMatch, resource });
    }
    if (uploadType === 'media') {
      const resource = { contentType: req.headers['content-type'] };
      return this.put(bucket, name, body, { ifGenerationMatch, resource });
    }
    if (uploadType === 'resumable') {
      const id = randomBytes(8).toString('hex');
      const resource = JSON.parse(body.toString() || '{}') as ObjectResourceInput;
      const contentType = req.headers['x-upload-content-type'];
      if (typeof contentType === 'string') resource.contentType = contentType;
      this.uploads.set(id, { bucket, name, ifGenerationMatch, resource });
      const location = `${this.origin}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&upload_id=${id}`;
      return new Answer(200, {}, { location });
    }
    return failure(400, `Unsupported uploadType ${uploadType}`);
  }

  /** A resumable upload's bytes, sent whole in one request as the client does by default. */
  private finishResumable(query: URLSearchParams, body: Buffer): Answer {
    const id = query.get('upload_id') ?? '';
    const session = this.uploads.get(id);
    if (!session) return failure(404, 'No such upload session');
    this.uploads.delete(id);
    return this.put(session.bucket, session.name, body, session);
  }

  private put(
    bucket: string,
    name: string,
    data: Buffer,
    options: { ifGenerationMatch: string | null; resource: ObjectResourceInput },
  ): Answer {
    const stored = this.buckets.get(bucket);
    if (!stored) return noBucket();
    const current = stored.objects.get(name);
    const expected = options.ifGenerationMatch;
    if (expected !== null && expected !== String(current?.generation ?? 0)) {
      return preconditionFailed();
    }
    stored.objects.set(name, {
      data,
      generation: (this.nextGeneration += 1),
      updated: new Date(),
      contentType: options.resource.contentType ?? 'application/octet-stream',
      metadata: options.resource.metadata,
    });
    return new Answer(200, this.objectResource(bucket, name));
  }

  private bucketResource(name: string) {
    const bucket = this.buckets.get(name)!;
    return {
      kind: 'storage#bucket',
      id: name,
      name,
      location: bucket.location,
      storageClass: bucket.storageClass,
    };
  }

  private objectResource(bucket: string, name: string) {
    const object = this.buckets.get(bucket)!.objects.get(name)!;
    const crc32c = new CRC32C();
    crc32c.update(object.data);
    return {
      kind: 'storage#object',
      bucket,
      name,
      size: String(object.data.length),
      generation: String(object.generation),
      etag: createHash('md5').update(`${name}:${object.generation}`).digest('base64'),
      updated: object.updated.toISOString(),
      contentType: object.contentType,
      crc32c: crc32c.toString(),
      md5Hash: createHash('md5').update(object.data).digest('base64'),
      ...(object.metadata ? { metadata: object.metadata } : {}),
    };
  }
}

interface BucketInput {
  name: string;
  location?: string;
  storageClass?: string;
}

interface ComposeInput {
  sourceObjects: { name: string }[];
  destination?: { contentType?: string };
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bodies of a `multipart/related` request, in order. */
function multipartParts(contentType: string, body: Buffer): Buffer[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length, next);
    const headersEnd = part.indexOf('\r\n\r\n');
    // Each body ends with the CRLF that precedes the next delimiter.
    if (headersEnd !== -1) parts.push(part.subarray(headersEnd + 4, part.length - 2));
    start = next;
  }
  return parts;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
