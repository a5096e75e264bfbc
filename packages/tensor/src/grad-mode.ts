/**
 * Grad mode: whether ops record the graph. Inside `noGrad(fn)` every op computes its
 * value and records nothing — no parents, no backward rule — so evaluation, sampling
 * and optimizer updates cost no memory for a graph nobody will walk.
 */

let enabled = true;

/** True unless running inside `noGrad`. */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` with recording switched off and returns its result. Synchronous only:
 * the previous mode is restored as soon as `fn` returns (or throws), so the body of
 * an async function after its first `await` would run with recording on again.
 */
export function noGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}
