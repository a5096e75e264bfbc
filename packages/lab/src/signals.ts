/**
 * Ctrl-C and SIGTERM during training: the first one asks the run to stop after the
 * step it is in (it then saves a checkpoint and says how to resume); a second Ctrl-C
 * quits at once — safe too, since every checkpoint on disk is complete (files.ts).
 */

export const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalWatch {
  /** 'SIGINT' or 'SIGTERM' once one arrived, else null. */
  reason(): string | null;
  dispose(): void;
}

export function watchSignals(announce: (message: string) => void): SignalWatch {
  let received: string | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (received !== null) process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
    received = signal;
    announce(`${signal}: stopping after the current step (press Ctrl-C again to quit at once)`);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    reason: () => received,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
