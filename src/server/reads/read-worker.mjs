// Entry of a read worker thread (see heavy-queue.ts). Worker threads do not inherit the TypeScript loader of the
// main thread: register it here, then run the worker proper.
import { register } from 'tsx/esm/api';

register();
await import('./read-worker.ts');
