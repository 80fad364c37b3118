// The built widget (`npm run build` first): within its size budgets — the
// loader at most 3 KB gzipped, the frame page and everything it names at most
// 30 KB gzipped (open.test.mjs checks in the browser that this is all the
// frame loads before the first message) — with no inline code for the CSP to
// refuse, and no HTML-parsing sink anywhere in the bundles.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { FRAME_BUDGET, LOADER_BUDGET } from './harness.mjs';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'widget');
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

test(`the loader is at most ${LOADER_BUDGET} bytes gzipped`, (t) => {
  const size = gz(readFileSync(join(dist, 'widget.js')));
  t.diagnostic(`widget.js ${size} B gzipped (limit ${LOADER_BUDGET})`);
  assert.ok(size <= LOADER_BUDGET, `widget.js is ${size} B gzipped`);
});

test(`the frame page and its assets are at most ${FRAME_BUDGET} bytes gzipped`, (t) => {
  const page = readFileSync(join(dist, 'frame.html'), 'utf8');
  const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(assets.map((a) => a.replace(/-[A-Z0-9]{8,}\./, '-HASH.')).sort(), [
    'frame-HASH.css',
    'frame-HASH.js',
  ]);
  // The page's CSP allows no inline script or style: everything is a file.
  assert.doesNotMatch(page, /<script(?![^>]*\bsrc=)/);
  assert.doesNotMatch(page, /<style|\sstyle=|\son[a-z]+=/i);
  const size =
    gz(Buffer.from(page)) + assets.reduce((n, a) => n + gz(readFileSync(join(dist, a))), 0);
  t.diagnostic(`frame.html + ${assets.join(' + ')} ${size} B gzipped (limit ${FRAME_BUDGET})`);
  assert.ok(size <= FRAME_BUDGET, `the frame loads ${size} B gzipped`);
});

test('no bundle holds an HTML-parsing sink or eval', () => {
  for (const file of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(dist, file), 'utf8');
    for (const sink of [
      'innerHTML',
      'outerHTML',
      'insertAdjacentHTML',
      'document.write',
      'eval(',
      'Function(',
    ]) {
      assert.ok(!code.includes(sink), `${file} uses ${sink}`);
    }
  }
});
