// `npm test`: builds the browser tests' Rust helper (banner-e2e) once, then
// runs every test file with node's test runner, one file at a time (each
// starts a server and a browser; two cores are enough for one).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!process.env.BANNER_E2E_BIN) {
  const build = spawnSync(
    process.env.CARGO || 'cargo',
    ['build', '--quiet', '-p', 'banner-e2e', '--message-format=json-render-diagnostics'],
    { cwd: join(ui, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (build.status !== 0) {
    console.error('test: cargo build -p banner-e2e failed');
    process.exit(1);
  }
  for (const line of build.stdout.split('\n')) {
    const m = line.startsWith('{') ? JSON.parse(line) : null;
    if (m?.reason === 'compiler-artifact' && m.target?.name === 'banner-e2e' && m.executable) {
      process.env.BANNER_E2E_BIN = m.executable;
    }
  }
}

const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=1',
    ...(process.argv.slice(2).length ? process.argv.slice(2) : ['tests/']),
  ],
  { cwd: ui, stdio: 'inherit' },
);
process.exit(run.status ?? 1);
