/** Every exercise's grader, by exercise id (the manifests in exercises/ give their points). */

import type { Grader } from '../grading/check.ts';
import {
  centralDifferenceGrader,
  crossEntropyBackwardGrader,
  sumToShapeGrader,
  topologicalOrderGrader,
  valueMulTanhGrader,
} from './foundations.ts';
import { adamGrader, clipGradNormGrader, sgdMomentumGrader } from './optimizers.ts';
import { addingProblemGrader, powerIterationGrader, rnnBpttGrader } from './sequences.ts';
import { stepBackwardGrader, stepForwardGrader } from './steps.ts';
import { tbpttGrader } from './tbptt.ts';

export const graders: ReadonlyMap<string, Grader> = new Map(
  [
    centralDifferenceGrader,
    valueMulTanhGrader,
    topologicalOrderGrader,
    sumToShapeGrader,
    crossEntropyBackwardGrader,
    sgdMomentumGrader,
    adamGrader,
    clipGradNormGrader,
    stepForwardGrader('rnn'),
    stepForwardGrader('lstm'),
    stepForwardGrader('gru'),
    stepBackwardGrader('rnn'),
    stepBackwardGrader('lstm'),
    stepBackwardGrader('gru'),
    rnnBpttGrader,
    tbpttGrader,
    powerIterationGrader,
    addingProblemGrader,
  ].map((g) => [g.id, g]),
);
