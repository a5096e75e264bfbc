/**
 * The live figures, by the name a page gives <LiveFigure>. Each is loaded only on the
 * page that shows it; each runs the engine in a Web Worker (see ../workers/) and
 * returns a function that stops it.
 */

export type Dispose = () => void;
export type Mount = (host: HTMLElement) => Dispose;

const figures: Record<string, () => Promise<{ mount: Mount }>> = {
  'expression-graph': () => import('./expression-graph.ts'),
  'unrolled-rnn': () => import('./unrolled-rnn.ts'),
  'gradient-explorer': () => import('./gradient-explorer.ts'),
  'main-experiment': () => import('./main-experiment.ts'),
  'run-viewer': () => import('./run-viewer.ts'),
  'code-viewer': () => import('./code-viewer.ts'),
};

export async function mountFigure(name: string, host: HTMLElement): Promise<Dispose> {
  const load = figures[name];
  if (load === undefined) {
    host.textContent = `No live figure is called "${name}" (known: ${Object.keys(figures).join(', ')}).`;
    host.classList.add('figure-error');
    return () => {};
  }
  const { mount } = await load();
  host.replaceChildren();
  return mount(host);
}
