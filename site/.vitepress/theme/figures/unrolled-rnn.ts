import type { Mount } from './index.ts'; export const mount: Mount = (host) => { host.textContent = 'unrolled-rnn'; return () => {}; };
