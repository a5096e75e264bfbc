import { strykerConfig } from '../../stryker.base.mjs';

// Ops and broadcasting: every forward/backward pair, the reductions and the losses.
export default strykerConfig([
  'src/broadcast.ts',
  'src/binary.ts',
  'src/unary.ts',
  'src/reduce.ts',
  'src/matmul.ts',
  'src/softmax.ts',
  'src/loss.ts',
  'src/shape.ts',
  'src/indexing.ts',
]);
