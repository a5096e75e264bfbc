import { AnomalyError, detectAnomalies } from '../src/anomaly.ts';

/** Runs `fn` in anomaly mode and returns the AnomalyError it must throw. */
export function catchAnomaly(fn: () => unknown): AnomalyError {
  try {
    detectAnomalies(fn);
  } catch (e) {
    if (e instanceof AnomalyError) return e;
    throw e;
  }
  throw new Error('no anomaly was detected');
}
