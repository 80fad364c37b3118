// Vite builds the agent UI (src/banner) into dist/banner/: what the desktop
// app bundles and what banner-server may serve as the web build. Vitest runs
// its component tests (src/banner/**/*.test.tsx) in jsdom against the mock
// backend. The widget has its own esbuild build (tools/build-widget.mjs).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/banner',
  // Relative URLs: the same files work under tauri://localhost and any path.
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/banner',
    emptyOutDir: true,
    target: 'es2021',
    // No eval, no inline scripts: the app's CSP forbids both.
    modulePreload: { polyfill: false },
  },
  test: {
    root: '.',
    include: ['src/banner/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    // Testing Library sets React's act() environment up and cleans the
    // document after each test only where `afterEach` is a global.
    globals: true,
    setupFiles: ['src/banner/test/setup.ts'],
  },
});
