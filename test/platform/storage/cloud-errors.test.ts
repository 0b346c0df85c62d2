import { describe, expect, it } from 'vitest';
import { mapCloudError } from '../../../shared/platform/cloud/object-store.js';
import { AppError } from '../../../shared/platform/errors.js';

/** An error shaped like the client's ApiError. */
function apiError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const object = { bucket: 'b', name: 'o' };

describe('mapCloudError', () => {
  it.each([
    [apiError(404, 'No such object: b/o'), object, 'OBJECT.NOT_FOUND', 'not_found'],
    [apiError(404, 'No such object: my-bucket/o'), object, 'OBJECT.NOT_FOUND', 'not_found'],
    [
      apiError(404, 'The specified bucket does not exist.'),
      object,
      'BUCKET.NOT_FOUND',
      'not_found',
    ],
    [apiError(404, 'Not Found'), { bucket: 'b' }, 'BUCKET.NOT_FOUND', 'not_found'],
    [
      apiError(412, 'Precondition Failed'),
      { ...object, ifNotExists: true },
      'OBJECT.ALREADY_EXISTS',
      'conflict',
    ],
    [apiError(412, 'Precondition Failed'), object, 'OBJECT.GENERATION_MISMATCH', 'conflict'],
    [apiError(409, 'Conflict'), { bucket: 'b' }, 'BUCKET.ALREADY_EXISTS', 'conflict'],
    [apiError(400, 'Invalid argument'), object, 'OBJECT.INVALID_ARGUMENT', 'invalid'],
    [apiError(416, 'Range Not Satisfiable'), object, 'OBJECT.INVALID_ARGUMENT', 'invalid'],
    [apiError(429, 'Too Many Requests'), object, 'STORAGE.UNAVAILABLE', 'unavailable'],
    [apiError(503, 'Service Unavailable'), object, 'STORAGE.UNAVAILABLE', 'unavailable'],
    [
      Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
      object,
      'STORAGE.UNAVAILABLE',
      'unavailable',
    ],
    [
      new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
      object,
      'STORAGE.UNAVAILABLE',
      'unavailable',
    ],
    [
      Object.assign(new Error('checksum'), { code: 'FILE_NO_UPLOAD' }),
      object,
      'STORAGE.UNAVAILABLE',
      'unavailable',
    ],
    [apiError(403, 'Forbidden'), object, 'STORAGE.FAILED', 'internal'],
  ])('maps %s', (error, context, code, kind) => {
    expect(mapCloudError(error, context)).toMatchObject({ code, kind });
  });

  it('passes the caller’s own errors through unchanged', () => {
    const own = new Error('source broke');
    expect(mapCloudError(own, object)).toBe(own);
    const app = new AppError('REQUEST.INVALID', 'invalid', 'x');
    expect(mapCloudError(app, object)).toBe(app);
  });
});
