/**
 * Chapter 2: an expression you can edit, and its graph with data and grad on every
 * node, recomputed by @unroll/scalar in a worker as you type.
 */

import type { ExpressionReply } from '../workers/expression.worker.ts';
import { element, field } from './controls.ts';
import type { Mount } from './index.ts';

export const mount: Mount = (host) => {
  const worker = new Worker(new URL('../workers/expression.worker.ts', import.meta.url), {
    type: 'module',
  });
  const expression = field('expression', 'L =', 'tanh(a * b + c) * d');
  const values = field('values', 'where', 'a = 2, b = -3, c = 10, d = -2');
  expression.input.setAttribute('size', '32');
  values.input.setAttribute('size', '32');
  const grads = element('p', { class: 'figure-readout' });
  const picture = element('div', { class: 'figure-panel', 'data-panel': 'graph' });
  host.append(
    element('form', { class: 'figure-controls' }, [expression.root, values.root]),
    picture,
    grads,
  );
  worker.onmessage = (event: MessageEvent<ExpressionReply>) => {
    const reply = event.data;
    expression.complain(null);
    values.complain(null);
    if (!reply.ok) {
      (reply.field === 'expression' ? expression : values).complain(reply.message);
      return;
    }
    picture.innerHTML = reply.svg;
    grads.textContent = `L = ${reply.output}; ${Object.entries(reply.grads)
      .map(([name, g]) => `∂L/∂${name} = ${g}`)
      .join(', ')}`;
  };
  const send = () =>
    worker.postMessage({ expression: expression.input.value, values: values.input.value });
  expression.input.addEventListener('input', send);
  values.input.addEventListener('input', send);
  host.querySelector('form')!.addEventListener('submit', (e) => e.preventDefault());
  send();
  return () => worker.terminate();
};
