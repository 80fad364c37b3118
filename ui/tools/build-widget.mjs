// Builds the visitor widget into dist/widget/ (what banner-server serves):
//   widget.js            the loader, one dependency-free IIFE (a stable URL)
//   frame.html           the frame page, naming its hashed script and style
//   frame-HASH.js/.css   the frame's code and style, cached for good
// Run from ui/: `npm run build`.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(ui, 'dist', 'widget');
const src = join(ui, 'src', 'widget');

const common = {
  bundle: true,
  minify: true,
  charset: 'utf8',
  legalComments: 'none',
  target: 'es2020',
  logLevel: 'warning',
};

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

await build({
  ...common,
  entryPoints: [join(src, 'loader', 'loader.ts')],
  outfile: join(out, 'widget.js'),
  format: 'iife',
});

const frame = await build({
  ...common,
  entryPoints: { frame: join(src, 'frame', 'main.ts') },
  outdir: out,
  entryNames: '[name]-[hash]',
  format: 'iife',
  metafile: true,
});
const outputs = Object.entries(frame.metafile.outputs);
const script = outputs.find(([path, o]) => o.entryPoint && path.endsWith('.js'));
const style = outputs.find(([path]) => path.endsWith('.css'));
if (!script || !style) {
  throw new Error('the frame build made no script or no style');
}
const page = (await readFile(join(src, 'frame', 'frame.html'), 'utf8'))
  .replace('%SCRIPT%', basename(script[0]))
  .replace('%STYLE%', basename(style[0]));
await writeFile(join(out, 'frame.html'), page);
