import { concatenateJobScenario } from './concatenate-job-scenario.js';

concatenateJobScenario('each event delivered once', {});
