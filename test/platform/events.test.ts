import { describe, expect, it } from 'vitest';
import { AppError, ERROR_KINDS, type ErrorKind } from '../../shared/platform/errors.js';
import { type FailureSource, runEvent, shouldRedeliver } from '../../shared/platform/events.js';
import { createLogger } from '../../shared/platform/logging.js';

const quiet = createLogger({ write: () => {} });

describe('what a failed event means', () => {
  const table: [ErrorKind, FailureSource, boolean][] = [
    ['unavailable', 'handler', true],
    ['unavailable', 'input', true],
    ['internal', 'handler', true],
    ['internal', 'input', false],
    ['invalid', 'handler', false],
    ['invalid', 'input', false],
    ['not_found', 'handler', false],
    ['not_found', 'input', false],
    ['conflict', 'handler', false],
    ['conflict', 'input', false],
  ];

  it('covers every kind from both sources', () => {
    const covered = new Set(table.map(([kind, source]) => `${kind}/${source}`));
    expect(covered.size).toBe(ERROR_KINDS.length * 2);
  });

  it.each(table)('%s from the %s: redeliver = %s', (kind, source, redeliver) => {
    expect(shouldRedeliver(new AppError('INTERNAL', kind, 'x'), source)).toBe(redeliver);
  });

  it.each(table.filter(([, source]) => source === 'handler'))(
    'runEvent throws a %s error only when it is to be redelivered',
    async (kind, _source, redeliver) => {
      const failing = runEvent(quiet, 'event-1', () =>
        Promise.reject(new AppError('INTERNAL', kind, 'x')),
      );
      if (redeliver) await expect(failing).rejects.toThrow('x');
      else await expect(failing).resolves.toBeUndefined();
    },
  );

  it('redelivers a thrown value that is not an AppError (an unexpected bug)', async () => {
    await expect(runEvent(quiet, 'e', () => Promise.reject(new TypeError('boom')))).rejects.toThrow(
      'boom',
    );
  });
});
