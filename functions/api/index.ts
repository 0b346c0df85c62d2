import { http } from '@google-cloud/functions-framework';
import { createApiApp } from '../../shared/api/app.js';
import { loadConfig } from '../../shared/config/config.js';

http('api', createApiApp(loadConfig(process.env)));
