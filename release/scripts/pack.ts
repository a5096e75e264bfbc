/**
 * Build every package and write the tarballs that would be published, plus the
 * third-party packages they need, to one folder:
 *
 *   npm run pack -w @unroll/release [-- OUT_DIR]        (default: release/tarballs)
 *
 * Then, anywhere: `npm install OUT_DIR/*.tgz`, or `npm install -g OUT_DIR/*.tgz` for
 * the `unroll` command.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { packAll } from '../src/pack.ts';
import { repoDir } from '../src/workspace.ts';

const out = resolve(process.argv[2] ?? resolve(repoDir, 'release', 'tarballs'));
execFileSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
  cwd: repoDir,
  stdio: 'inherit',
});
const packed = packAll(out);
for (const file of [...packed.unroll.values(), ...packed.thirdParty]) console.log(file);
