import { strykerConfig } from '../../stryker.base.mjs';

// The linear algebra: matrix-vector products, power iteration, Jacobians.
export default strykerConfig(['src/linalg.ts', 'src/spectral.ts', 'src/jacobian.ts']);
