import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform } from '../../shared/platform/platform.js';

describe('createPlatform', () => {
  it('refuses local mode outside the embedded runtime, saying how to start it', () => {
    expect(() => createPlatform(loadConfig({}), 'feed')).toThrow(
      /embedded runtime is not running.*npm start.*CHIMERA_MODE=cloud/,
    );
  });

  it('builds Google Cloud adapters in cloud mode without contacting anything', async () => {
    const platform = createPlatform(
      loadConfig({ CHIMERA_MODE: 'cloud', GOOGLE_CLOUD_PROJECT: 'p' }),
      'feed',
    );
    expect(platform.objectStore.constructor.name).toBe('CloudObjectStore');
    expect(platform.publisher.constructor.name).toBe('CloudPublisher');
    expect(platform.executions.constructor.name).toBe('CloudWorkflowExecutions');
    await platform.firestore.terminate();
  });
});
