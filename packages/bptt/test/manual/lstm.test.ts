/**
 * manual/lstm.ts: the LSTM's hand-derived forward and backward against the published
 * equations and central differences (∂L/∂c_T included).
 */

import { describeHandDerived } from './hand-derived.ts';

describeHandDerived('lstm');
