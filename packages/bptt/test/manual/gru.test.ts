/**
 * manual/gru.ts: the GRU's hand-derived forward and backward, in PyTorch's form
 * (reset after W_hn) and in Cho et al.'s, against the published equations, their central
 * differences, autodiff and PyTorch (whose GRU is the first form; the script that made the
 * references writes the second from its equations with torch ops).
 */

import { describeHandDerived } from './hand-derived.ts';
import { describeAgainstTorch } from './torch-references.ts';

describeHandDerived('gru');
describeAgainstTorch('gru');
describeHandDerived('gru-cho');
describeAgainstTorch('gru-cho');
