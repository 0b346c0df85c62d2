import { parentPort, workerData } from 'node:worker_threads';
import { lineBytes, PARSE_LEGS, type ParseLeg, secondsOf } from './parse-work.js';

/**
 * One core of the parse bench's all-cores leg: holds its share of the market files and runs
 * the leg it is sent, answering with the seconds it took. Started by parse-all-cores.ts.
 */

const texts = (workerData as { texts: string[][] }).texts;
const work = { files: lineBytes(texts), texts };
const port = parentPort!;
port.on('message', (leg: ParseLeg) => port.postMessage(secondsOf(() => PARSE_LEGS[leg](work))));
port.postMessage('ready');
