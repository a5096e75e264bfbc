/**
 * signals.ts: the first Ctrl-C or SIGTERM asks the run to stop after its step and says
 * so; a second quits at once with the signal's exit code; disposing removes the handlers.
 * (The real signals, sent to the real command, are in cmd-train and cmd-experiment's tests.)
 */

import { afterEach, describe, expect, it, vi } from 'vitest';
import { SIGNAL_EXIT_CODES, watchSignals } from '../src/signals.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/** watchSignals with process.on/off/exit observed instead of acted on. */
function watched() {
  const handlers = new Map<string, (signal: NodeJS.Signals) => void>();
  vi.spyOn(process, 'on').mockImplementation(((event: string, handler: never) => {
    handlers.set(event, handler);
    return process;
  }) as never);
  const off = vi.spyOn(process, 'off').mockImplementation((() => process) as never);
  const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  const messages: string[] = [];
  const watch = watchSignals((m) => messages.push(m));
  return { handlers, off, exit, messages, watch };
}

describe('watchSignals', () => {
  it('turns the first signal into a stop request, announced', () => {
    const { handlers, messages, watch, exit } = watched();
    expect([...handlers.keys()]).toEqual(['SIGINT', 'SIGTERM']);
    expect(watch.reason()).toBe(null);
    handlers.get('SIGTERM')!('SIGTERM');
    expect(watch.reason()).toBe('SIGTERM');
    expect(messages).toEqual([
      'SIGTERM: stopping after the current step (press Ctrl-C again to quit at once)',
    ]);
    expect(exit).not.toHaveBeenCalled();
  });

  it('quits at once on the second, with the exit code of the signal', () => {
    const { handlers, exit } = watched();
    handlers.get('SIGINT')!('SIGINT');
    handlers.get('SIGINT')!('SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
    expect(SIGNAL_EXIT_CODES).toEqual({ SIGINT: 130, SIGTERM: 143 });
  });

  it('removes both handlers when disposed', () => {
    const { handlers, off, watch } = watched();
    watch.dispose();
    expect(off).toHaveBeenCalledWith('SIGINT', handlers.get('SIGINT'));
    expect(off).toHaveBeenCalledWith('SIGTERM', handlers.get('SIGTERM'));
  });
});
