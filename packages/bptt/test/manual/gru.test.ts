/**
 * manual/gru.ts: the GRU's hand-derived forward and backward, in PyTorch's form
 * (reset after W_hn) and in Cho et al.'s, against the published equations and central
 * differences.
 */

import { describeHandDerived } from './hand-derived.ts';

describeHandDerived('gru');
describeHandDerived('gru-cho');
