import { strykerConfig } from '../../stryker.base.mjs';

// The scalar engine's ops and their derivatives, and the small network on top.
export default strykerConfig(['src/value.ts', 'src/nn.ts', 'src/topo.ts']);
