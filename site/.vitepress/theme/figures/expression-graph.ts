import type { Mount } from './index.ts'; export const mount: Mount = (host) => { host.textContent = 'expression-graph'; return () => {}; };
