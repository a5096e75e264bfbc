/**
 * The code page: /code.html?file=packages/bptt/src/lstm.ts#L42 shows that file with
 * line numbers and line 42 marked (#L42-L50 marks a range). Every relative link from a
 * page to a source file is rewritten to point here (see .vitepress/repo.ts), so an
 * equation's link in docs/INDEX.md opens the line that computes it.
 */

import { withBase } from 'vitepress';
import { element } from './controls.ts';
import type { Mount } from './index.ts';

/** A repository path the page will fetch: no way out of the source folder. */
export function safeSourcePath(file: string | null): string | null {
  if (file === null || !/^[\w@][\w./@-]*$/.test(file) || file.split('/').includes('..'))
    return null;
  return file;
}

/** "#L42" → [42, 42]; "#L42-L50" → [42, 50]; anything else → null. */
export function lineRange(hash: string): [number, number] | null {
  const match = /^#L(\d+)(?:-L?(\d+))?$/.exec(hash);
  if (match === null) return null;
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  return [Math.min(first, last), Math.max(first, last)];
}

/** ?folder=docs/examples: the folder's source files, each a link to its page. */
function listFolder(host: HTMLElement, folder: string): void {
  const status = element('p', { class: 'figure-status', role: 'status' });
  const list = element('ul', { class: 'code-listing' });
  host.append(
    element('p', { class: 'code-title' }, [element('code', {}, [`${folder}/`])]),
    status,
    list,
  );
  fetch(withBase(`/source/${folder}/listing.json`))
    .then(async (response) => {
      if (!response.ok) throw new Error(`${folder} is not among the source folders of this site`);
      const names = (await response.json()) as string[];
      list.replaceChildren(
        ...names.map((name) =>
          element('li', {}, [
            element(
              'a',
              { href: withBase(`/code.html?file=${encodeURIComponent(`${folder}/${name}`)}`) },
              [name],
            ),
          ]),
        ),
      );
      host.dataset.lines = String(names.length);
    })
    .catch((error: Error) => {
      status.textContent = error.message;
      status.classList.add('figure-error');
    });
}

export const mount: Mount = (host) => {
  const params = new URLSearchParams(location.search);
  const folder = safeSourcePath(params.get('folder'));
  if (folder !== null) {
    listFolder(host, folder);
    return () => {};
  }
  const file = safeSourcePath(params.get('file'));
  const title = element('p', { class: 'code-title' });
  const status = element('p', { class: 'figure-status', role: 'status' });
  const code = element('pre', { class: 'code-lines' });
  host.append(title, status, code);
  const mark = () => {
    const range = lineRange(location.hash);
    for (const line of code.querySelectorAll('.marked')) line.classList.remove('marked');
    if (range === null) return;
    for (let n = range[0]; n <= range[1]; n++)
      code.querySelector(`#L${n}`)?.classList.add('marked');
    code.querySelector(`#L${range[0]}`)?.scrollIntoView({ block: 'center' });
  };
  if (file === null) {
    status.textContent = 'No source file given: this page shows the file named by ?file=packages/…';
    status.classList.add('figure-error');
    return () => {};
  }
  title.append(element('code', {}, [file]));
  fetch(withBase(`/source/${file}`))
    .then(async (response) => {
      if (!response.ok)
        throw new Error(
          `${file} is not among the source files of this site (HTTP ${response.status})`,
        );
      const lines = (await response.text()).replace(/\n$/, '').split('\n');
      code.replaceChildren(
        ...lines.map((text, i) =>
          element('span', { class: 'code-line', id: `L${i + 1}` }, [
            element('a', { class: 'line-number', href: `#L${i + 1}` }, [String(i + 1)]),
            `${text}\n`,
          ]),
        ),
      );
      host.dataset.lines = String(lines.length);
      mark();
    })
    .catch((error: Error) => {
      status.textContent = error.message;
      status.classList.add('figure-error');
    });
  window.addEventListener('hashchange', mark);
  return () => window.removeEventListener('hashchange', mark);
};
