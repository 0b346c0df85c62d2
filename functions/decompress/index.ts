import { cloudEvent } from '@google-cloud/functions-framework';
import { decompressDeps, decompressHandler } from '../../shared/pipeline/decompress.js';
import { loadConfig } from '../../shared/platform/config.js';
import { functionPlatform } from '../../shared/platform/platform.js';

cloudEvent(
  'decompress',
  decompressHandler(decompressDeps(functionPlatform(loadConfig(process.env), 'decompress'))),
);
