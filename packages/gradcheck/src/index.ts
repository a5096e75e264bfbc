/**
 * @unroll/gradcheck — the judge. Read in this order:
 *   numerical.ts    central differences: the gradient and the Jacobian
 *   compare.ts      the pass criterion |a − n| ≤ atol + rtol·|n| and the worst-entry report
 *   check.ts        gradcheck, jacobianCheck and the cheap directional check
 *   matchers.ts     toBeAllclose for tests (registered by vitest-setup.ts)
 *   arbitraries.ts  fast-check generators of shapes and kink-free values
 */

export * as arbitraries from './arbitraries.ts';
export {
  assertGradcheck,
  type CheckOptions,
  type DirectionalOptions,
  directionalCheck,
  type GradcheckReport,
  gradcheck,
  jacobianCheck,
} from './check.ts';
export {
  type Comparison,
  compareArrays,
  describeComparison,
  GRADCHECK_ATOL,
  GRADCHECK_RTOL,
  relativeError,
  type Tolerances,
  unravelIndex,
} from './compare.ts';
export { ALLCLOSE_ATOL, ALLCLOSE_RTOL, allclose, flatten, type Numeric } from './matchers.ts';
export {
  DEFAULT_EPS,
  type DifferenceOptions,
  numericalGradient,
  numericalJacobian,
  type ScalarFunction,
  type VectorFunction,
} from './numerical.ts';
