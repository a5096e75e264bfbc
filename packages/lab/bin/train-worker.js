// A worker thread of `unroll train --threads N`. Worker threads do not inherit the main
// thread's module loader, so this one registers tsx for itself before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('../src/train-worker.ts');
