import { cloudEvent } from '@google-cloud/functions-framework';
import { jobStatusDeps, jobStatusHandler } from '../../shared/pipeline/status/job-status.js';
import { loadConfig } from '../../shared/platform/config.js';
import { functionPlatform } from '../../shared/platform/platform.js';

cloudEvent(
  'job-status',
  jobStatusHandler(jobStatusDeps(functionPlatform(loadConfig(process.env), 'job-status'))),
);
