import { concatenateJobScenario } from './concatenate-job-scenario.js';

concatenateJobScenario('every Pub/Sub message and trigger event delivered twice', {
  BUS_DUPLICATE_DELIVERIES: 'true',
});
