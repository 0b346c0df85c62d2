import { cloudEvent } from '@google-cloud/functions-framework';
import { jobStatusDeps, jobStatusHandler } from '../../shared/pipeline/status/job-status.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform } from '../../shared/platform/platform.js';

cloudEvent(
  'job-status',
  jobStatusHandler(jobStatusDeps(createPlatform(loadConfig(process.env), 'job-status'))),
);
