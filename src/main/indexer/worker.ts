// Entry of the index worker thread (built to out/main/indexWorker.js). Hosts an IndexService
// and answers the session's requests; progress and cancellation travel as messages.
import { parentPort } from 'node:worker_threads';
import { serveIndexRequests } from './serve';

if (!parentPort) throw new Error('indexWorker must run as a worker thread');
serveIndexRequests(parentPort);
