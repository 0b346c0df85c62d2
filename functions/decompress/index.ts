import { cloudEvent } from '@google-cloud/functions-framework';
import { loadConfig } from '../../shared/config/config.js';
import { decompressDeps, decompressHandler } from '../../shared/decompress/decompress-handler.js';
import { createPlatform } from '../../shared/platform/platform.js';

cloudEvent(
  'decompress',
  decompressHandler(decompressDeps(createPlatform(loadConfig(process.env), 'decompress'))),
);
