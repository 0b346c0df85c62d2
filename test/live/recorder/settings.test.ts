import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../../shared/live/recorder/settings.js';
import { loadConfig } from '../../../shared/platform/config.js';

const config = loadConfig({
  RECORDER_FAST_CADENCE_MINUTES: '3',
  RECORDER_FAST_CADENCE_POLLS: '6',
  RECORDER_POLL_INTERVAL_SECONDS: '120',
});

describe('the recorder settings a poll runs with', () => {
  it('take the environment where nothing was saved', () => {
    const settings = resolveSettings(config, {}, {});
    expect(settings.cadence).toEqual({ minutes: 3, pollsPerMinute: 6 });
    expect(settings.pollIntervalSeconds).toBe(120);
  });

  it('take what was saved over the API before the environment, field by field', () => {
    const settings = resolveSettings(
      config,
      { fast_cadence_minutes: 10, poll_interval_seconds: 60 },
      {},
    );
    expect(settings.cadence).toEqual({ minutes: 10, pollsPerMinute: 6 });
    expect(settings.pollIntervalSeconds).toBe(60);
  });
});
