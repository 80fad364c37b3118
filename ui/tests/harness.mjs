// What the widget's browser tests stand on:
// - a real banner-server with a temporary data dir, started by the Rust helper
//   `banner-e2e` (crates/banner-e2e), which also plays the agents; we talk to
//   it in JSON lines;
// - a TCP proxy in front of it, which a test can cut to drop the network;
// - host pages served from other origins (other 127.0.0.1 ports);
// - Debian's Chromium driven by playwright-core.
// Every wait is bounded; everything binds 127.0.0.1.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { createConnection, createServer as createTcpServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(ui, '..');

/** How long a test waits for anything before failing. */
export const WAIT = 15_000;

/** The loader's size budget, gzipped. */
export const LOADER_BUDGET = 3 * 1024;
/** The budget of everything the frame loads before the first message, gzipped. */
export const FRAME_BUDGET = 30 * 1024;

let helperPath = process.env.BANNER_E2E_BIN || null;

/** Builds the helper once (a no-op when it is up to date) and returns its path. */
function helper() {
  if (helperPath) return helperPath;
  const build = spawnSync(
    process.env.CARGO || 'cargo',
    ['build', '--quiet', '-p', 'banner-e2e', '--message-format=json-render-diagnostics'],
    { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 },
  );
  if (build.status !== 0) throw new Error('cargo build -p banner-e2e failed');
  for (const line of build.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line);
    if (m.reason === 'compiler-artifact' && m.target?.name === 'banner-e2e' && m.executable) {
      helperPath = m.executable;
    }
  }
  if (!helperPath) throw new Error('cargo did not name the banner-e2e executable');
  return helperPath;
}

/**
 * A running server and its agents. `call(op, fields)` sends one request to
 * the helper and resolves with its `ok`, or rejects with its `error`.
 */
export async function startBackend(options = {}) {
  const args = ['--ui-dir', join(ui, 'dist')];
  if (options.reconnectionTimeoutSecs) {
    args.push('--reconnection-timeout-secs', String(options.reconnectionTimeoutSecs));
  }
  if (options.wrapUpLimitSecs) args.push('--wrap-up-limit-secs', String(options.wrapUpLimitSecs));
  const child = spawn(helper(), args, {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env },
  });
  const lines = createInterface({ input: child.stdout });
  const waiting = new Map();
  let next = 1;
  let ready;
  const started = new Promise((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) =>
      reject(new Error(`banner-e2e exited (${code}) before it was ready`)),
    );
  });
  lines.on('line', (line) => {
    const m = JSON.parse(line);
    if (m.ready) return ready(m.ready);
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if ('error' in m) w.reject(new Error(`${w.op}: ${m.error}`));
    else w.resolve(m.ok);
  });
  const info = await withTimeout(started, WAIT, 'banner-e2e to start');
  const call = (op, fields = {}) =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject, op });
      child.stdin.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  return {
    ...info,
    call,
    /** Stops the server (closing stdin) and waits for the helper to exit. */
    async close() {
      child.stdin.end();
      await withTimeout(
        new Promise((resolve) =>
          child.exitCode !== null ? resolve() : child.once('exit', resolve),
        ),
        WAIT,
        'banner-e2e to stop',
      ).catch(() => child.kill('SIGKILL'));
    },
  };
}

/** An agent played by the helper. */
export function agent(backend, name) {
  const a = {
    name,
    login: () => backend.call('login', { agent: name }),
    command: (command) => backend.call('command', { agent: name, command }),
    cursor: () => backend.call('cursor', { agent: name }),
    /** The first frame from index `from` on that contains `match`. */
    wait: (match, from = 0, timeoutMs = WAIT) =>
      backend.call('wait', { agent: name, match, from, timeout_ms: timeoutMs }),
    get: (path) => backend.call('get', { agent: name, path }),
    /** Waits for an offer (from `from` on), accepts it, returns the conversation. */
    async take(from = 0) {
      const { frame } = await a.wait({ type: 'event', event: { type: 'offer' } }, from);
      const answer = await a.command({ type: 'accept', conversation: frame.conversation });
      if (answer.type !== 'ack') throw new Error(`accept refused: ${JSON.stringify(answer)}`);
      return frame.conversation;
    },
    async say(conversation, text) {
      const answer = await a.command({
        type: 'send_message',
        conversation,
        text,
        private: false,
        attachments: [],
      });
      if (answer.type !== 'ack') throw new Error(`send refused: ${JSON.stringify(answer)}`);
      return answer.seq;
    },
  };
  return a;
}

/** The HMAC-SHA256 signature of a customer id (docs/protocol.md §4). */
export function sign(secret, customerId) {
  return createHmac('sha256', secret).update(customerId, 'utf8').digest('hex');
}

/**
 * A TCP proxy to `target` (http://127.0.0.1:PORT). `cut()` drops every open
 * connection; while `down(true)`, new ones are dropped at once too; `hold()`
 * stops passing the server's bytes on the open connections (answers are lost
 * in flight), until they are cut.
 */
export async function startProxy(target) {
  const port = Number(new URL(target).port);
  const sockets = new Set();
  const pairs = new Set();
  let isDown = false;
  const server = createTcpServer((client) => {
    if (isDown) return client.destroy();
    const upstream = createConnection({ host: '127.0.0.1', port });
    const pair = { client, upstream };
    pairs.add(pair);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => {
        sockets.delete(s);
        pairs.delete(pair);
      });
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cut() {
      for (const s of sockets) s.destroy();
    },
    hold() {
      for (const { client, upstream } of pairs) {
        upstream.unpipe(client);
        upstream.pause();
      }
    },
    down(on) {
      isDown = on;
      if (on) this.cut();
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(resolve);
      }),
  };
}

/** A static site on its own origin: `pages` maps a path to HTML. */
export async function startSite(pages) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const page = pages[path];
    if (page === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/**
 * A host page embedding the widget the way docs/widget.md says. `attrs` are
 * extra data attributes; `before` is script run before the loader (the
 * queued-call stub, for instance); `csp` a Content-Security-Policy for the page.
 */
export function hostPage(server, site, { attrs = {}, before = '', body = '', csp = '' } = {}) {
  const data = Object.entries(attrs)
    .map(([k, v]) => ` data-${k}="${String(v).replace(/"/g, '&quot;')}"`)
    .join('');
  const policy = csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : '';
  return `<!doctype html><html><head><meta charset="utf-8">${policy}<title>Host</title>
<style>button, iframe, div { border: 9px solid red !important; font-size: 40px !important; }</style>
</head><body><h1>A host site</h1>${body}
${before ? `<script>${before}</script>` : ''}
<script src="${server}/widget.js" data-site="${site}"${data} async></script>
</body></html>`;
}

/** Chromium from Debian, with the flags from shared/RECIPES.md. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.BANNER_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: WAIT,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The launcher button and the chat frame of a page. */
export function widget(page) {
  return {
    launcher: page.locator('button[aria-haspopup="dialog"]'),
    frame: page.frameLocator('iframe[src*="/widget/frame.html"]'),
  };
}

/** Opens the chat from the launcher and waits for the composer to be usable. */
export async function openChat(page) {
  const w = widget(page);
  await w.launcher.click({ timeout: WAIT });
  await w.frame.locator('textarea').waitFor({ state: 'visible', timeout: WAIT });
  return w.frame;
}

/** The chat frame's Frame (for `evaluate`), once it is attached. */
export async function chatFrame(page) {
  for (const deadline = Date.now() + WAIT; Date.now() < deadline; ) {
    const frame = page.frames().find((f) => f.url().includes('/widget/frame.html'));
    if (frame) return frame;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no chat frame');
}

/**
 * A visitor on `hostUrl` (in `context`) opens the chat, writes, answers the
 * menu with "An invoice", and `agent` takes the offer: the chat and its
 * conversation, once the agent has joined on the visitor's side.
 */
export async function chatWithAgent(agent, context, hostUrl) {
  const page = await context.newPage();
  await page.goto(hostUrl);
  const chat = await openChat(page);
  const from = await agent.cursor();
  await writeAboutAnInvoice(chat, 'Hi');
  const conversation = await agent.take(from);
  // The floor's display names are its usernames capitalised (ada: Ada).
  const joined = new RegExp(`^${agent.name} joined the chat$`, 'i');
  await chat.locator('.sys', { hasText: joined }).waitFor({ timeout: WAIT });
  return { page, chat, conversation };
}

/**
 * Logs `username` in to the agents' web app served by `env`'s server
 * (`/app/`): the page, and the page errors seen.
 */
export async function logInApp(env, context, username) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.backend.url}/app/`);
  const form = page.getByRole('form', { name: 'Log in' });
  // The server that served the page is the default.
  assert.equal(await form.getByLabel('Server').inputValue(), env.backend.url);
  await form.getByLabel('User').fill(username);
  await form.getByLabel('Password').fill(env.backend.password);
  await form.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Presence').waitFor({ timeout: WAIT });
  return { page, errors };
}

/** The visitor writes `text`, then answers the menu with "An invoice" (Billing). */
export async function writeAboutAnInvoice(chat, text) {
  await write(chat, text);
  await chat.getByRole('button', { name: 'An invoice' }).click({ timeout: WAIT });
}

/** Types `text` in the chat and presses Enter. */
export async function write(frame, text) {
  const box = frame.locator('textarea');
  await box.fill(text, { timeout: WAIT });
  await box.press('Enter', { timeout: WAIT });
}

/** Resolves `promise`, or rejects after `ms` naming what was awaited. */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)),
        ms,
      );
    }),
  ]);
}

/**
 * Everything one test file needs: a backend (with `options`), a proxy in
 * front of it (the widget's server URL), a browser, and static sites on other
 * origins; `close()` ends them all.
 */
export async function setup(options = {}) {
  const backend = await startBackend(options);
  const proxy = await startProxy(backend.url);
  const browser = await launch();
  const sites = [];
  const env = {
    backend,
    proxy,
    browser,
    /** The widget's server, as the browser reaches it (through the proxy). */
    server: proxy.url,
    /** Serves `pages` on a new origin; returns its URL. */
    async serve(pages) {
      const site = await startSite(pages);
      sites.push(site);
      return site.url;
    },
    /** A host page embedding the widget (see `hostPage`), on a new origin. */
    async host(options = {}) {
      return env.serve({ '/': hostPage(proxy.url, backend.site, options) });
    },
    async close() {
      await browser.close().catch(() => {});
      for (const site of sites) await site.close();
      await proxy.close();
      await backend.close();
    },
  };
  return env;
}
