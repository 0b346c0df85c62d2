import { cloudEvent } from '@google-cloud/functions-framework';
import { loadConfig } from '../../shared/config/config.js';
import { jobStatusDeps, jobStatusHandler } from '../../shared/jobs/status/job-status-handler.js';
import { createPlatform } from '../../shared/platform/platform.js';

cloudEvent(
  'job-status',
  jobStatusHandler(jobStatusDeps(createPlatform(loadConfig(process.env), 'job-status'))),
);
