// Where the command's code comes from.
//
// An installed package runs its compiled JavaScript (dist/) with plain `node`. A source
// checkout of the repository (recognised by the package's tsconfig.json, which is not
// shipped) has no build step: there the TypeScript in src/ runs through tsx, and imports
// of the other @unroll packages take their source too, through the `unroll-source`
// export condition that source-condition.js adds to every resolution.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const fromSource = existsSync(new URL('../tsconfig.json', import.meta.url));

/** Import src/NAME.ts in a source checkout, dist/NAME.js in an installed package. */
export async function importEntry(name) {
  if (!fromSource) return import(`../dist/${name}.js`);
  const tsx = await import('tsx/esm/api');
  tsx.register();
  // Registered last, so it runs first: it adds the condition, then tsx resolves.
  register('./source-condition.js', import.meta.url);
  return import(`../src/${name}.ts`);
}
