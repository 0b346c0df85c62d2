import { cloudEvent } from '@google-cloud/functions-framework';
import { decompressDeps, decompressHandler } from '../../shared/pipeline/decompress.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform } from '../../shared/platform/platform.js';

cloudEvent(
  'decompress',
  decompressHandler(decompressDeps(createPlatform(loadConfig(process.env), 'decompress'))),
);
