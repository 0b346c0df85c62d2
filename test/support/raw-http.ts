import http from 'node:http';
import net from 'node:net';
import { Readable } from 'node:stream';

/** An answer read whole, with its raw text kept to check what it may not contain. */
export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** What a raw request sends; `host` overrides the Host header (fetch cannot). */
export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One request with node:http, so any header (Host included) can be sent as it is. */
export function rawRequest(base: string, request: RawRequest): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method ?? 'GET',
        path: request.path,
        headers: request.headers,
        agent: false,
      },
      (res) => void collect(res).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

/**
 * Sends a body of `bytes` bytes, made from one reused 64 KiB chunk so the sender holds no
 * copy, declared by content-length or chunked. Resolves with the answer, or with the socket
 * error when the server closed before any answer.
 */
export function sendLargeBody(
  base: string,
  path: string,
  bytes: number,
  options: { chunked?: boolean; headers?: Record<string, string> } = {},
): Promise<RawAnswer | { error: string }> {
  const url = new URL(base);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent >= bytes) return void this.push(null);
      const size = Math.min(chunk.length, bytes - sent);
      sent += size;
      this.push(size === chunk.length ? chunk : chunk.subarray(0, size));
    },
  });
  return new Promise((resolve) => {
    const req = http.request({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path,
      agent: false,
      headers: {
        'content-type': 'application/json',
        ...(options.chunked ? {} : { 'content-length': String(bytes) }),
        ...options.headers,
      },
    });
    req.on('response', (res) => {
      body.unpipe(req);
      collect(res).then(resolve, (error: Error) => resolve({ error: error.message }));
    });
    req.on('error', (error) => resolve({ error: error.message }));
    body.pipe(req);
  });
}

/** Bytes written straight to the socket, for requests no HTTP client would send. */
export function rawSocket(base: string, bytes: string): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.end(bytes));
    let text = '';
    socket.on('data', (data: Buffer) => (text += data.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

async function collect(res: http.IncomingMessage): Promise<RawAnswer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    text: Buffer.concat(chunks).toString(),
  };
}

/** The largest growth of this process's resident and buffer memory while `run` runs, in MB. */
export async function memoryGrowth<T>(
  run: () => Promise<T>,
): Promise<{ result: T; rssMb: number; buffersMb: number }> {
  const before = process.memoryUsage();
  let rss = 0;
  let buffers = 0;
  const sample = () => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss - before.rss);
    buffers = Math.max(buffers, now.arrayBuffers - before.arrayBuffers);
  };
  const timer = setInterval(sample, 5);
  try {
    const result = await run();
    sample();
    const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
    return { result, rssMb: mb(rss), buffersMb: mb(buffers) };
  } finally {
    clearInterval(timer);
  }
}
