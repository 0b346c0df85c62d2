import { Storage, type StorageOptions } from '@google-cloud/storage';
import { invalidArgument } from '../ports/object-store.js';

/** The path of Cloud Storage's JSON API under an endpoint; uploads go to `/upload` + this. */
export const JSON_API_PATH = '/storage/v1';

/**
 * An emulator's (or proxy's) address as the base URL both API paths hang from: `host:port` gets
 * `http://`, and trailing slashes and a trailing `/storage/v1` are dropped, so
 * `http://127.0.0.1:4443`, `http://127.0.0.1:4443/` and `http://127.0.0.1:4443/storage/v1/`
 * all give `http://127.0.0.1:4443`.
 */
export function storageEndpoint(address: string): string {
  const withScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(address) ? address : `http://${address}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalidArgument(`Cloud Storage endpoint ${JSON.stringify(address)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidArgument(`Cloud Storage endpoint ${JSON.stringify(address)} must be http(s)`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  const base = path.endsWith(JSON_API_PATH) ? path.slice(0, -JSON_API_PATH.length) : path;
  return `${url.origin}${base.replace(/\/+$/, '')}`;
}

/** The client's constructor options: the library's defaults (real Cloud Storage) without an endpoint. */
export function storageClientOptions(projectId: string, endpoint?: string): StorageOptions {
  return endpoint === undefined
    ? { projectId }
    : { projectId, apiEndpoint: storageEndpoint(endpoint) };
}

/**
 * A Cloud Storage client; with `endpoint`, every request goes to it without credentials: JSON
 * calls to `<base>/storage/v1/…`, uploads to `<base>/upload/storage/v1/…`.
 */
export function createStorageClient(projectId: string, endpoint?: string): Storage {
  const options = storageClientOptions(projectId, endpoint);
  const storage = new Storage(options);
  if (options.apiEndpoint !== undefined) {
    // When STORAGE_EMULATOR_HOST is set, the library takes it verbatim as the JSON API's base
    // (with no /storage/v1) while building upload URLs from apiEndpoint; one base serves both.
    storage.baseUrl = `${options.apiEndpoint}${JSON_API_PATH}`;
  }
  return storage;
}
