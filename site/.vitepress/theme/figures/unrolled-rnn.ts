/**
 * Chapter 6: the unrolled graph of a small tanh RNN, and the gradient walking back
 * through it. Each column is one timestep: the input x_t below, the state h_t above,
 * W_hh's arrow from h_{t−1} to h_t. "Step back" moves the gradient one step further
 * from the loss, labelling each state it reaches with ‖∂L/∂h_t‖.
 */

import { escapeXml, viridis } from '@unroll/diagnostics';
import type { UnrolledReply } from '../workers/unrolled.worker.ts';
import { element, field, parseInteger, parsePositive } from './controls.ts';
import type { Mount } from './index.ts';

type Ok = Extract<UnrolledReply, { ok: true }>;
const COL = 92;
const f3 = (v: number) => (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(1) : v.toFixed(3));

/** The graph with the gradient arrived back at step `reached` (T + 1: not started). */
function draw(r: Ok, reached: number): string {
  const T = r.hs.length;
  const width = 40 + (T + 1) * COL;
  const height = 250;
  const logs = r.norms.map((n) => Math.log10(Math.max(n, 1e-300)));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const shade = (t: number) => viridis(hi === lo ? 1 : (logs[t]! - lo) / (hi - lo));
  const parts: string[] = [];
  for (let t = 0; t < T; t++) {
    const x = 20 + t * COL;
    const got = t + 1 >= reached;
    parts.push(
      `<rect x="${x}" y="170" width="70" height="34" rx="4" fill="none" stroke="#888"/>`,
      `<text x="${x + 35}" y="184" text-anchor="middle" font-size="11">x${t + 1}</text>`,
      `<text x="${x + 35}" y="198" text-anchor="middle" font-size="10">${f3(r.inputs[t]![0]!)}${r.inputs[t]![1] === 1 ? ' ★' : ''}</text>`,
      `<line x1="${x + 35}" y1="170" x2="${x + 35}" y2="122" stroke="#888" marker-end="url(#head)"/>`,
      `<rect class="state" data-t="${t + 1}" data-reached="${got}" x="${x}" y="70" width="70" height="52" rx="6" fill="${got ? shade(t) : 'none'}" fill-opacity="${got ? 0.35 : 0}" stroke="${got ? '#d55e00' : '#0072b2'}" stroke-width="${got ? 2 : 1}"/>`,
      `<text x="${x + 35}" y="86" text-anchor="middle" font-size="11" font-weight="bold">h${t + 1}</text>`,
      `<text x="${x + 35}" y="100" text-anchor="middle" font-size="9">[${r.hs[t]!.map((v) => v.toFixed(2)).join(' ')}]</text>`,
      got
        ? `<text x="${x + 35}" y="116" text-anchor="middle" font-size="10" fill="#d55e00">‖∂L/∂h‖ ${f3(r.norms[t]!)}</text>`
        : '',
    );
    if (t > 0) {
      // The arrow from h_{t+1} back to h_t (1-based) once the gradient has reached h_t.
      const back = reached <= t;
      parts.push(
        `<line x1="${x - COL + 70}" y1="90" x2="${x}" y2="90" stroke="#0072b2" marker-end="url(#head)"/>`,
        `<text x="${x - 11}" y="84" text-anchor="middle" font-size="9">W_hh</text>`,
        back
          ? `<line x1="${x}" y1="104" x2="${x - COL + 70}" y2="104" stroke="#d55e00" stroke-width="2" marker-end="url(#back)"/>`
          : '',
      );
    }
  }
  const lx = 20 + T * COL;
  parts.push(
    `<rect x="${lx}" y="70" width="70" height="52" rx="6" fill="none" stroke="#000"/>`,
    `<text x="${lx + 35}" y="88" text-anchor="middle" font-size="11" font-weight="bold">L</text>`,
    `<text x="${lx + 35}" y="102" text-anchor="middle" font-size="9">ŷ ${r.prediction.toFixed(3)}</text>`,
    `<text x="${lx + 35}" y="115" text-anchor="middle" font-size="9">y ${r.target.toFixed(3)}</text>`,
    `<line x1="${lx - COL + 70}" y1="96" x2="${lx}" y2="96" stroke="#888" marker-end="url(#head)"/>`,
    `<text x="20" y="30" font-size="12">${escapeXml(
      reached > T
        ? `Forward pass done: L = ${f3(r.loss)}. Press "Step back" to send the gradient back.`
        : `The gradient has reached h${reached}: ‖∂L/∂h${reached}‖ = ${f3(r.norms[reached - 1]!)}, ${f3(r.norms[reached - 1]! / r.norms[T - 1]!)} × ‖∂L/∂h${T}‖`,
    )}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" fill="currentColor"><defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker><marker id="back" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#d55e00"/></marker></defs>${parts.join('')}</svg>`;
}

export const mount: Mount = (host) => {
  const worker = new Worker(new URL('../workers/unrolled.worker.ts', import.meta.url), {
    type: 'module',
  });
  const T = field('T', 'T', '6');
  const radius = field('radius', 'spectral radius of W_hh', '0.9');
  const back = element(
    'button',
    { type: 'button', class: 'figure-button', 'data-action': 'back' },
    ['Step back'],
  );
  const reset = element(
    'button',
    { type: 'button', class: 'figure-button', 'data-action': 'reset' },
    ['Reset'],
  );
  const picture = element('div', { class: 'figure-panel', 'data-panel': 'unrolled' });
  host.append(
    element('form', { class: 'figure-controls' }, [T.root, radius.root, back, reset]),
    picture,
  );
  let result: Ok | null = null;
  let reached = 0;
  const render = () => {
    if (result === null) return;
    picture.innerHTML = draw(result, reached);
    host.dataset.reached = String(reached);
  };
  worker.onmessage = (event: MessageEvent<UnrolledReply>) => {
    if (!event.data.ok) {
      T.complain(event.data.message);
      return;
    }
    result = event.data;
    reached = result.hs.length + 1;
    render();
  };
  const run = () => {
    T.complain(null);
    radius.complain(null);
    const t = parseInteger('T', T.input.value, { min: 2, max: 12 });
    const r = parsePositive('spectral radius', radius.input.value, 10);
    if (typeof t === 'string') T.complain(t);
    if (typeof r === 'string') radius.complain(r);
    if (typeof t === 'string' || typeof r === 'string') return;
    worker.postMessage({ seqLen: t, radius: r });
  };
  back.addEventListener('click', () => {
    if (result !== null && reached > 1) reached--;
    render();
  });
  reset.addEventListener('click', () => {
    if (result !== null) reached = result.hs.length + 1;
    render();
  });
  T.input.addEventListener('change', run);
  radius.input.addEventListener('change', run);
  host.querySelector('form')!.addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  run();
  return () => worker.terminate();
};
