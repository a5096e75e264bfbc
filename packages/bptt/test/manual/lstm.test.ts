/**
 * manual/lstm.ts: the LSTM's hand-derived forward and backward against the published
 * equations, their central differences (∂L/∂c_T included), autodiff and PyTorch.
 */

import { describeHandDerived } from './hand-derived.ts';
import { describeAgainstTorch } from './torch-references.ts';

describeHandDerived('lstm');
describeAgainstTorch('lstm');
