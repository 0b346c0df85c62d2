import { describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/platform/logging.js';

function capture(minSeverity?: 'DEBUG' | 'INFO' | 'WARNING') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    minSeverity,
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, lines };
}

describe('logger', () => {
  it('writes one Cloud Logging JSON entry a line with severity, message and fields', () => {
    const { logger, lines } = capture();
    logger.child({ jobId: 'j1' }).warn('file failed', { file: 'a.bz2' });
    expect(lines).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        message: 'file failed',
        jobId: 'j1',
        file: 'a.bz2',
      }),
    ]);
  });

  it('never writes secret values, at any depth', () => {
    const { logger, lines } = capture();
    logger.info('login', {
      appKey: 'KEY123',
      request: {
        headers: {
          'X-Authentication': 'tok-777',
          'X-Application': 'app-888',
          sessionToken: 'SSOID',
        },
      },
      password: 'pw',
    });
    const text = JSON.stringify(lines);
    for (const secret of ['KEY123', 'SSOID', 'pw"', 'tok-777', 'app-888'])
      expect(text).not.toContain(secret);
  });

  it('drops entries below the minimum severity', () => {
    const { logger, lines } = capture('WARNING');
    logger.info('quiet');
    logger.error('loud');
    expect(lines.map((line) => line.message)).toEqual(['loud']);
  });
});
