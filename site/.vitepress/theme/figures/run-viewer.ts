/**
 * The run-folder page: the user picks a run folder (or some of its files); the page
 * reads them with run-files.ts and draws the loss curve, the gradient flow at
 * initialisation and after training, and what the checkpoint holds. Each file that
 * cannot be read is listed with the reason.
 */

import { gradientNormChart, lossChart } from '@unroll/diagnostics';
import { element } from './controls.ts';
import type { Mount } from './index.ts';
import {
  type CheckpointView,
  type FlowSnapshot,
  type MetricsLine,
  type RunConfig,
  readCheckpoint,
  readConfig,
  readDiagnostics,
  readMetrics,
  readSummary,
} from './run-files.ts';

interface Loaded {
  config?: RunConfig;
  metrics?: MetricsLine[];
  diagnostics?: { init: FlowSnapshot | null; final: FlowSnapshot | null };
  summary?: Record<string, unknown>;
  checkpoint?: CheckpointView;
}

async function load(
  files: readonly File[],
): Promise<{ loaded: Loaded; problems: string[]; ignored: string[] }> {
  const loaded: Loaded = {};
  const problems: string[] = [];
  const ignored: string[] = [];
  for (const file of files) {
    const name = file.name;
    try {
      if (name === 'config.json') loaded.config = readConfig(name, await file.text());
      else if (name === 'metrics.jsonl') loaded.metrics = readMetrics(name, await file.text());
      else if (name === 'diagnostics.json')
        loaded.diagnostics = readDiagnostics(name, await file.text());
      else if (name === 'summary.json') loaded.summary = readSummary(name, await file.text());
      else if (name.endsWith('.safetensors'))
        loaded.checkpoint = await readCheckpoint(name, new Uint8Array(await file.arrayBuffer()));
      else ignored.push(name);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { loaded, problems, ignored };
}

function describe(loaded: Loaded): HTMLElement[] {
  const out: HTMLElement[] = [];
  const config = loaded.config ?? loaded.checkpoint?.config;
  if (config !== undefined) {
    out.push(
      element('h3', {}, [`Run ${config.name ?? ''}`.trim()]),
      element('p', { 'data-panel': 'config' }, [
        Object.entries(config)
          .filter(([, v]) => typeof v !== 'object' || v === null)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ]),
    );
  }
  if (loaded.summary !== undefined) {
    const s = loaded.summary;
    out.push(
      element('p', { 'data-panel': 'summary' }, [
        `Outcome: ${s.status}, ${s.step} steps, solved at ${s.solvedAt ?? '—'}, ${s.seconds ?? '?'} s.`,
      ]),
    );
  }
  if (loaded.metrics !== undefined) {
    const m = loaded.metrics;
    const evals = m.filter((l) => l.eval !== undefined);
    const chart = element('div', { class: 'figure-panel', 'data-panel': 'loss' });
    chart.innerHTML = lossChart({
      width: 640,
      height: 360,
      title: `Loss (${m.length} steps)`,
      series: [
        { name: 'training batch', x: m.map((l) => l.step), y: m.map((l) => l.loss) },
        ...(evals.length > 0
          ? [{ name: 'held-out', x: evals.map((l) => l.step), y: evals.map((l) => l.eval!.loss) }]
          : []),
      ],
    });
    out.push(chart);
  }
  const d = loaded.diagnostics;
  if (d !== undefined) {
    const series = [
      ...(d.init
        ? [{ name: `at init (step ${d.init.step})`, y: d.init.norms[d.init.norms.length - 1]! }]
        : []),
      ...(d.final
        ? [
            {
              name: `after training (step ${d.final.step})`,
              y: d.final.norms[d.final.norms.length - 1]!,
            },
          ]
        : []),
    ];
    if (series.length > 0) {
      const chart = element('div', { class: 'figure-panel', 'data-panel': 'flow' });
      chart.innerHTML = gradientNormChart({
        width: 640,
        height: 360,
        title: 'Gradient flow through time, top layer',
        series,
      });
      out.push(chart);
      for (const [when, s] of [
        ['At initialisation', d.init],
        ['After training', d.final],
      ] as const) {
        if (s?.verdict) out.push(element('p', {}, [`${when}: ${s.verdict.reason}`]));
      }
    }
  }
  const c = loaded.checkpoint;
  if (c !== undefined) {
    out.push(
      element('h3', {}, [`Checkpoint at step ${c.step}`]),
      element('table', { 'data-panel': 'checkpoint' }, [
        element('thead', {}, [
          element('tr', {}, [element('th', {}, ['tensor']), element('th', {}, ['shape'])]),
        ]),
        element(
          'tbody',
          {},
          c.tensors.map((t) =>
            element('tr', {}, [
              element('td', {}, [t.name]),
              element('td', {}, [`[${t.shape.join(', ')}]`]),
            ]),
          ),
        ),
      ]),
    );
  }
  return out;
}

export const mount: Mount = (host) => {
  const folder = element('input', {
    type: 'file',
    name: 'folder',
    webkitdirectory: '',
    multiple: '',
  });
  const files = element('input', { type: 'file', name: 'files', multiple: '' });
  const problems = element('ul', {
    class: 'figure-error',
    role: 'alert',
    'data-panel': 'problems',
  });
  const status = element('p', { class: 'figure-status' }, ['No run loaded yet.']);
  const view = element('div', { 'data-panel': 'run' });
  host.append(
    element('form', { class: 'figure-controls' }, [
      element('label', { class: 'field' }, [
        element('span', { class: 'field-label' }, ['a run folder']),
        folder,
      ]),
      element('label', { class: 'field' }, [
        element('span', { class: 'field-label' }, ['or files from one']),
        files,
      ]),
    ]),
    problems,
    status,
    view,
  );
  const show = async (input: HTMLInputElement) => {
    const chosen = [...(input.files ?? [])];
    const { loaded, problems: why, ignored } = await load(chosen);
    problems.replaceChildren(...why.map((w) => element('li', {}, [w])));
    const used = chosen.length - ignored.length - why.length;
    status.textContent = `Read ${used} of ${chosen.length} file${chosen.length === 1 ? '' : 's'}${ignored.length > 0 ? ` (not a run file: ${ignored.join(', ')})` : ''}.`;
    view.replaceChildren(...describe(loaded));
    host.dataset.loaded = String(used);
  };
  folder.addEventListener('change', () => show(folder));
  files.addEventListener('change', () => show(files));
  return () => {};
};
