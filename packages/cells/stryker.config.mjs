import { strykerConfig } from '../../stryker.base.mjs';

// The cells' fused steps (forward and hand-written backward) and the linear layer.
export default strykerConfig([
  'src/rnn-cell.ts',
  'src/lstm-cell.ts',
  'src/gru-cell.ts',
  'src/linear.ts',
]);
