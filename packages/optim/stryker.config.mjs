import { strykerConfig } from '../../stryker.base.mjs';

// The update rules, clipping and the learning-rate schedules.
export default strykerConfig([
  'src/sgd.ts',
  'src/adam.ts',
  'src/rmsprop.ts',
  'src/adagrad.ts',
  'src/clip.ts',
  'src/scheduler.ts',
  'src/plateau.ts',
]);
