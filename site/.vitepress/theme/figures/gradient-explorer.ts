/**
 * Chapter 7: the vanishing/exploding explorer. Choose the cell, T, the hidden size and
 * W_hh's initialisation (optionally rescaled to a spectral radius); see ‖∂L/∂h_t‖
 * against t, the singular values of W_hh and the gates' saturation; train a few
 * hundred steps on the adding problem and watch them change.
 */

import type { RecurrentInit } from '@unroll/cells';
import { type CellName, LIMITS, type ModelSettings } from '../workers/adding-model.ts';
import type { ExplorerReply } from '../workers/explorer.worker.ts';
import { element, field, parseInteger, parsePositive } from './controls.ts';
import type { Mount } from './index.ts';

export const mount: Mount = (host) => {
  const worker = new Worker(new URL('../workers/explorer.worker.ts', import.meta.url), {
    type: 'module',
  });
  const cell = field('cell', 'cell', 'rnn', [
    ['rnn', 'tanh RNN'],
    ['lstm', 'LSTM'],
    ['gru', 'GRU'],
  ]);
  const T = field('T', 'T', '50');
  const hidden = field('hidden', 'hidden size', '16');
  const init = field('init', 'W_hh init', 'uniform', [
    ['uniform', 'uniform (PyTorch default)'],
    ['orthogonal', 'orthogonal'],
    ['identity', 'identity'],
  ]);
  const radius = field('radius', 'spectral radius ρ (blank: as initialised)', '');
  const steps = field('steps', 'training steps', '300');
  const trainButton = element(
    'button',
    { type: 'button', class: 'figure-button', 'data-action': 'train' },
    ['Train'],
  );
  const stopButton = element(
    'button',
    { type: 'button', class: 'figure-button', 'data-action': 'stop' },
    ['Stop'],
  );
  const status = element('p', { class: 'figure-status', 'aria-live': 'polite' });
  const panel = (name: string) => element('div', { class: 'figure-panel', 'data-panel': name });
  const panels = {
    flow: panel('flow'),
    spectrum: panel('spectrum'),
    saturation: panel('saturation'),
    loss: panel('loss'),
  };
  const fields = [cell, T, hidden, init, radius, steps];
  host.append(
    element('form', { class: 'figure-controls' }, [
      ...fields.map((f) => f.root),
      trainButton,
      stopButton,
    ]),
    status,
    element('div', { class: 'figure-grid' }, Object.values(panels)),
  );

  /** The settings, or null after showing each bad one's reason beside it. */
  const read = (): { settings: ModelSettings; steps: number } | null => {
    for (const f of fields) f.complain(null);
    const t = parseInteger('T', T.input.value, LIMITS.seqLen);
    const h = parseInteger('hidden size', hidden.input.value, LIMITS.hidden);
    const r =
      radius.input.value.trim() === ''
        ? null
        : parsePositive('spectral radius', radius.input.value, LIMITS.radius);
    const n = parseInteger('training steps', steps.input.value, { min: 1, max: 2000 });
    if (typeof t === 'string') T.complain(t);
    if (typeof h === 'string') hidden.complain(h);
    if (typeof r === 'string') radius.complain(r);
    if (typeof n === 'string') steps.complain(n);
    if (
      typeof t === 'string' ||
      typeof h === 'string' ||
      typeof r === 'string' ||
      typeof n === 'string'
    )
      return null;
    return {
      settings: {
        cell: cell.input.value as CellName,
        seqLen: t,
        hidden: h,
        init: init.input.value as RecurrentInit,
        radius: r,
        seed: 0,
      },
      steps: n,
    };
  };
  const show = () => {
    const read_ = read();
    if (read_ === null) return;
    status.textContent = 'Computing…';
    worker.postMessage({ type: 'show', settings: read_.settings });
  };
  worker.onmessage = (event: MessageEvent<ExplorerReply>) => {
    const reply = event.data;
    if (reply.type === 'error') {
      status.textContent = reply.message;
      status.classList.add('figure-error');
      return;
    }
    status.classList.remove('figure-error');
    panels.flow.innerHTML = reply.flow;
    panels.spectrum.innerHTML = reply.spectrum;
    panels.saturation.innerHTML = reply.saturation;
    if (reply.loss !== null) panels.loss.innerHTML = reply.loss;
    status.textContent = `${reply.training ? `Training: step ${reply.step}. ` : reply.step > 0 ? `Trained ${reply.step} steps. ` : ''}verdict: ${reply.verdict}`;
    host.dataset.step = String(reply.step);
    host.dataset.training = String(reply.training);
  };
  for (const f of fields) f.input.addEventListener('change', show);
  host.querySelector('form')!.addEventListener('submit', (e) => {
    e.preventDefault();
    show();
  });
  trainButton.addEventListener('click', () => {
    const read_ = read();
    if (read_ === null) return;
    panels.loss.replaceChildren();
    worker.postMessage({ type: 'train', ...read_ });
  });
  stopButton.addEventListener('click', () => worker.postMessage({ type: 'stop' }));
  show();
  return () => worker.terminate();
};
