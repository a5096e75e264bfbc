import { strykerConfig } from '../../stryker.base.mjs';

// The data generators: each task's inputs and the targets they imply.
export default strykerConfig([
  'src/adding.ts',
  'src/copy-memory.ts',
  'src/parity.ts',
  'src/temporal-order.ts',
  'src/forecasting.ts',
  'src/series.ts',
  'src/one-hot.ts',
  'src/text-batches.ts',
  'src/sampling.ts',
]);
