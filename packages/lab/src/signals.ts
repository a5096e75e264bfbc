/**
 * Ctrl-C and SIGTERM during training: the first one asks the run to stop after the
 * step it is in (it then saves a checkpoint and says how to resume); a second Ctrl-C
 * quits at once — safe too, since every checkpoint on disk is complete (files.ts).
 *
 * "At once" needs care: a JavaScript signal handler runs only between two turns of the
 * event loop, so during a long synchronous computation (the gradient-flow probe of a
 * T = 10,000 run takes seconds) it cannot run at all. Two things make the second
 * Ctrl-C immediate anyway:
 *
 *   - once the first signal is received, the handlers are removed: the operating
 *     system's default action (end the process) applies to the next one, whatever
 *     JavaScript is doing;
 *   - `withDefaultSignals` removes them for a phase that has nothing to save — the
 *     probes before the first step and after the last checkpoint — so any Ctrl-C
 *     there ends the process at once. (A kill there leaves the folder's lock behind;
 *     the next command takes it over as stale, lock.ts.)
 */

export const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalWatch {
  /** 'SIGINT' or 'SIGTERM' once one arrived, else null. */
  reason(): string | null;
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type Handler = (signal: NodeJS.Signals) => void;
/** The handlers of the watches now active (normally one). */
const attached = new Set<Handler>();

function attach(handler: Handler): void {
  for (const s of SIGNALS) process.on(s, handler);
  attached.add(handler);
}

function detach(handler: Handler): void {
  for (const s of SIGNALS) process.off(s, handler);
  attached.delete(handler);
}

export function watchSignals(announce: (message: string) => void): SignalWatch {
  let received: string | null = null;
  const handler: Handler = (signal) => {
    if (received !== null) process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
    received = signal;
    announce(`${signal}: stopping after the current step (press Ctrl-C again to quit at once)`);
    detach(handler); // the next signal takes the default action: the process ends at once
  };
  attach(handler);
  return {
    reason: () => received,
    dispose: () => {
      detach(handler);
    },
  };
}

/**
 * Runs `phase` with the default action for SIGINT and SIGTERM (the process ends at
 * once), then puts the handlers back. For phases that leave nothing to save.
 */
export function withDefaultSignals<T>(phase: () => T): T {
  const handlers = [...attached];
  for (const h of handlers) detach(h);
  try {
    return phase();
  } finally {
    for (const h of handlers) attach(h);
  }
}
