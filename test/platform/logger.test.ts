import { describe, expect, it, vi } from 'vitest';
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

  it('writes to stdout through console.log by default, one line an entry', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      createLogger().error('two\nlines', { detail: 'a\nb' });
      expect(log).toHaveBeenCalledTimes(1);
      const [line] = log.mock.calls[0] as [string];
      expect(line).not.toContain('\n');
      expect(JSON.parse(line)).toMatchObject({ severity: 'ERROR', message: 'two\nlines' });
    } finally {
      log.mockRestore();
    }
  });

  it('drops entries below the minimum severity', () => {
    const { logger, lines } = capture('WARNING');
    logger.info('quiet');
    logger.error('loud');
    expect(lines.map((line) => line.message)).toEqual(['loud']);
  });
});
