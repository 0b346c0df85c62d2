import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/platform/config.js';

describe('loadConfig', () => {
  it('fills every documented default from an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'local',
      projectId: 'chimera-local',
      port: 8080,
      dataDir: '.data',
      localUrl: 'http://127.0.0.1:8080',
      bus: { maxAttempts: 5, ackDeadlineMs: 600_000, minBackoffMs: 1000, maxBackoffMs: 60_000 },
    });
    expect(config.bus.concurrency).toBeGreaterThan(0);
  });

  it('reads values and treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '9090', GOOGLE_CLOUD_PROJECT: '', BUS_MAX_ATTEMPTS: '3' });
    expect(config.port).toBe(9090);
    expect(config.projectId).toBe('chimera-local');
    expect(config.bus.maxAttempts).toBe(3);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['CHIMERA_MODE', 'hybrid'],
    ['LOG_LEVEL', 'LOUD'],
    ['FIRESTORE_EMULATOR_HOST', 'http://localhost'],
    ['BUS_MAX_ATTEMPTS', '0'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it.each([
    ['127.0.0.1:4443', 'http://127.0.0.1:4443'],
    ['http://localhost:9023/storage/v1', 'http://localhost:9023/storage/v1'],
  ])('takes STORAGE_EMULATOR_HOST %s as the Google tools do: %s', (given, url) => {
    expect(loadConfig({ STORAGE_EMULATOR_HOST: given }).storageEmulatorHost).toBe(url);
  });

  it('refuses a STORAGE_EMULATOR_HOST that is no address, naming it', () => {
    expect(() => loadConfig({ STORAGE_EMULATOR_HOST: 'not an address' })).toThrow(
      /STORAGE_EMULATOR_HOST/,
    );
  });

  it('refuses to start on Google Cloud without an explicit mode, naming the variable', () => {
    expect(() => loadConfig({ K_SERVICE: 'decompress' })).toThrow(/CHIMERA_MODE: not set/);
    expect(loadConfig({ K_SERVICE: 'decompress', CHIMERA_MODE: 'cloud' }).mode).toBe('cloud');
  });

  it('derives the pipeline API address from the mode unless it is given', () => {
    const cloud = loadConfig({ CHIMERA_MODE: 'cloud', GOOGLE_CLOUD_PROJECT: 'p' });
    expect(cloud.jobs.apiUrl).toBe('https://europe-west2-p.cloudfunctions.net/pipeline-api');
    expect(loadConfig({ PORT: '9000' }).jobs.apiUrl).toBe('http://127.0.0.1:9000');
    expect(loadConfig({ PIPELINE_API_URL: 'https://api.example' }).jobs.apiUrl).toBe(
      'https://api.example',
    );
  });
});
