/**
 * Chapter 9: the main experiment in the page. The tanh RNN, the LSTM and the GRU
 * learn the adding problem side by side, one Web Worker each; the page shows each
 * run's progress, the held-out loss against the baseline (always answering 1), and
 * at the end the table the lab prints, with the gradient verdicts beside it.
 */

import { lossChart } from '@unroll/diagnostics';
import { ADDING_BASELINE_MSE } from '@unroll/tasks';
import { CELL_NAMES, type CellName, MODEL_NAMES } from '../workers/adding-model.ts';
import type { ExperimentReply, Verdict } from '../workers/experiment.worker.ts';
import { element, field, parseInteger } from './controls.ts';
import type { Mount } from './index.ts';

/** The columns of the lab's result table (experiment-report.ts), then the verdicts. */
const HEADER = [
  'model',
  'T',
  'final MSE',
  'baseline',
  'solved',
  'steps to solve',
  'time (s)',
  'verdict at init',
  'verdict after training',
];

const verdictText = (v: Verdict | null) =>
  v === null
    ? '—'
    : `${v.verdict} (ratio ${v.ratio < 1e-3 ? v.ratio.toExponential(2) : Number(v.ratio.toPrecision(3))})`;

export const mount: Mount = (host) => {
  const T = field('T', 'T', '30');
  const hidden = field('hidden', 'hidden size', '16');
  const steps = field('steps', 'at most steps', '800');
  const runButton = element(
    'button',
    { type: 'button', class: 'figure-button', 'data-action': 'run' },
    ['Run the experiment'],
  );
  const stopButton = element(
    'button',
    { type: 'button', class: 'figure-button', 'data-action': 'stop' },
    ['Stop'],
  );
  const bars = new Map<CellName, HTMLProgressElement>();
  const progress = element(
    'div',
    { class: 'figure-progress' },
    CELL_NAMES.map((cell) => {
      const bar = element('progress', { max: '1', value: '0', 'data-cell': cell });
      bars.set(cell, bar);
      return element('label', {}, [`${MODEL_NAMES[cell]} `, bar]);
    }),
  );
  const chart = element('div', { class: 'figure-panel', 'data-panel': 'loss' });
  const table = element('div', { class: 'figure-table', 'data-panel': 'table' });
  const status = element('p', { class: 'figure-status', 'aria-live': 'polite' }, [
    'Press "Run the experiment".',
  ]);
  host.append(
    element('form', { class: 'figure-controls' }, [
      T.root,
      hidden.root,
      steps.root,
      runButton,
      stopButton,
    ]),
    status,
    progress,
    chart,
    table,
  );

  let workers: Worker[] = [];
  const stop = () => {
    for (const w of workers) w.terminate();
    workers = [];
  };

  const start = () => {
    for (const f of [T, hidden, steps]) f.complain(null);
    const t = parseInteger('T', T.input.value, { min: 2, max: 100 });
    const h = parseInteger('hidden size', hidden.input.value, { min: 1, max: 64 });
    const n = parseInteger('steps', steps.input.value, { min: 25, max: 3000 });
    if (typeof t === 'string') T.complain(t);
    if (typeof h === 'string') hidden.complain(h);
    if (typeof n === 'string') steps.complain(n);
    if (typeof t === 'string' || typeof h === 'string' || typeof n === 'string') return;
    stop();
    host.dataset.state = 'running';
    table.replaceChildren();
    const curves = new Map<CellName, { x: number[]; y: number[] }>();
    const done = new Map<CellName, Extract<ExperimentReply, { type: 'done' }>>();
    const redraw = () => {
      chart.innerHTML = lossChart({
        width: 640,
        height: 360,
        title: `Adding problem, T = ${t}: held-out MSE`,
        yLabel: 'held-out MSE',
        baselines: [{ y: ADDING_BASELINE_MSE, label: 'baseline 0.167' }],
        series: CELL_NAMES.filter((c) => curves.has(c)).map((c) => ({
          name: MODEL_NAMES[c],
          ...curves.get(c)!,
        })),
      });
    };
    const finish = () => {
      const rows = CELL_NAMES.map((c) => {
        const r = done.get(c)!;
        return [
          MODEL_NAMES[c],
          t,
          Number(r.finalMse.toPrecision(3)),
          Number(ADDING_BASELINE_MSE.toFixed(3)),
          r.solvedAt === null ? 'no' : 'yes',
          r.solvedAt ?? '—',
          Number(r.seconds.toFixed(1)),
          verdictText(r.init),
          verdictText(r.final),
        ];
      });
      table.replaceChildren(
        element('table', {}, [
          element('thead', {}, [
            element(
              'tr',
              {},
              HEADER.map((c) => element('th', {}, [c])),
            ),
          ]),
          element(
            'tbody',
            {},
            rows.map((row, i) =>
              element(
                'tr',
                { 'data-cell': CELL_NAMES[i]! },
                row.map((c) => element('td', {}, [String(c)])),
              ),
            ),
          ),
        ]),
      );
      status.textContent = `Done. Solved: held-out MSE below 0.01 on 256 fresh sequences (checked every 25 steps). Baseline: always answering 1 scores 1/6.`;
      host.dataset.state = 'done';
      stop();
    };
    workers = CELL_NAMES.map((cell) => {
      const worker = new Worker(new URL('../workers/experiment.worker.ts', import.meta.url), {
        type: 'module',
      });
      worker.onmessage = (event: MessageEvent<ExperimentReply>) => {
        const reply = event.data;
        if (reply.type === 'error') {
          status.textContent = `${MODEL_NAMES[cell]}: ${reply.message}`;
          return;
        }
        bars.get(cell)!.value = reply.type === 'done' ? 1 : reply.step / n;
        curves.set(cell, { x: reply.evalSteps, y: reply.evalLosses });
        redraw();
        if (reply.type === 'done') {
          done.set(cell, reply);
          if (done.size === CELL_NAMES.length) finish();
        }
      };
      worker.postMessage({ cell, seqLen: t, hidden: h, steps: n, seed: 0 });
      return worker;
    });
    status.textContent = `Training three models on T = ${t}, at most ${n} steps each…`;
  };
  runButton.addEventListener('click', start);
  stopButton.addEventListener('click', () => {
    stop();
    host.dataset.state = 'stopped';
    status.textContent = 'Stopped.';
  });
  host.querySelector('form')!.addEventListener('submit', (e) => e.preventDefault());
  return stop;
};
