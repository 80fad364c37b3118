// Opening the chat: what the frame loads before the first message (and its
// size), no long task on the main thread, the headers the server sends with
// the widget's files, the host's CSS kept out, keyboard use, and French.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  chatFrame,
  FRAME_BUDGET,
  LOADER_BUDGET,
  openChat,
  setup,
  WAIT,
  widget,
  write,
  writeAboutAnInvoice,
} from './harness.mjs';

let env;
let hostUrl;

before(async () => {
  env = await setup();
  hostUrl = await env.host();
});

after(() => env?.close());

/** Runs in every frame before its scripts: records long tasks (over 50 ms). */
function watchLongTasks() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__longTasks.push({
        start: Math.round(e.startTime),
        ms: Math.round(e.duration),
        who: e.name,
      });
    }
  }).observe({ type: 'longtask', buffered: true });
}

test('opening loads little, blocks nothing, and is served with the right headers', async (t) => {
  const context = await env.browser.newContext();
  await context.addInitScript(watchLongTasks);
  const loaded = [];
  context.on('response', (r) => {
    const url = new URL(r.url());
    if (url.origin === env.server && !url.pathname.startsWith('/v1/')) loaded.push(r);
  });
  const page = await context.newPage();
  await page.goto(hostUrl);
  const { launcher } = widget(page);
  await launcher.waitFor({ timeout: WAIT });
  assert.deepEqual(
    loaded.map((r) => new URL(r.url()).pathname),
    ['/widget.js'],
    'the loader alone until the visitor opens the chat',
  );
  // The host's `button { border: 9px solid red !important }` does not reach the launcher.
  assert.equal(await launcher.evaluate((b) => getComputedStyle(b).borderTopWidth), '0px');

  const clickedAt = await page.evaluate(() => performance.now());
  const chat = await openChat(page);
  await write(chat, 'Hello');
  await chat.locator('.msg.bot', { hasText: 'Welcome to Acme!' }).waitFor({ timeout: WAIT });

  const byPath = new Map(loaded.map((r) => [new URL(r.url()).pathname, r]));
  const paths = [...byPath.keys()].map((p) => p.replace(/-[A-Z0-9]{8,}\./, '-HASH.')).sort();
  assert.deepEqual(paths, [
    '/widget.js',
    '/widget/frame-HASH.css',
    '/widget/frame-HASH.js',
    '/widget/frame.html',
  ]);
  let frameBytes = 0;
  for (const [path, response] of byPath) {
    const size = gzipSync(await response.body(), { level: 9 }).length;
    t.diagnostic(`${path}: ${size} B gzipped`);
    if (path !== '/widget.js') frameBytes += size;
    else assert.ok(size <= LOADER_BUDGET);
  }
  assert.ok(frameBytes <= FRAME_BUDGET, `the frame loaded ${frameBytes} B gzipped`);

  // No main-thread task over 50 ms from the click on, on the host page or in the frame.
  const frame = await chatFrame(page);
  const hostTasks = await page.evaluate(() => window.__longTasks);
  t.diagnostic(
    `long tasks: host ${JSON.stringify(hostTasks)} (opened at ${Math.round(clickedAt)})`,
  );
  assert.deepEqual(
    hostTasks.filter((task) => task.start >= clickedAt),
    [],
  );
  assert.deepEqual(await frame.evaluate(() => window.__longTasks), []);

  const headers = async (path) => (await byPath.get(path)).allHeaders();
  const loader = await headers('/widget.js');
  assert.equal(loader['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(loader['x-content-type-options'], 'nosniff');
  assert.equal(loader['cache-control'], 'public, max-age=300');
  const framePage = await headers('/widget/frame.html');
  assert.equal(framePage['content-type'], 'text/html; charset=utf-8');
  assert.equal(framePage['x-content-type-options'], 'nosniff');
  assert.equal(framePage['x-frame-options'], undefined, 'any site may embed the frame');
  assert.match(framePage['content-security-policy'], /script-src 'self';/);
  assert.match(framePage['content-security-policy'], /connect-src 'self';/);
  assert.match(framePage['content-security-policy'], /require-trusted-types-for 'script'/);
  const script = [...byPath.keys()].find((p) => p.endsWith('.js') && p.startsWith('/widget/'));
  assert.equal((await headers(script))['cache-control'], 'public, max-age=31536000, immutable');
  await context.close();
});

test('the chat works from the keyboard alone', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(hostUrl);
  const { launcher, frame: chat } = widget(page);
  await launcher.waitFor({ timeout: WAIT });
  await page.keyboard.press('Tab');
  assert.equal(await launcher.evaluate((b) => b.matches(':focus')), true);
  await page.keyboard.press('Enter');
  await chat.locator('textarea:focus').waitFor({ timeout: WAIT });

  await page.keyboard.type('Hello from the keyboard');
  await page.keyboard.press('Enter');
  await chat.locator('.msg.visitor', { hasText: 'Hello from the keyboard' }).waitFor({
    timeout: WAIT,
  });
  // The emoji picker: Shift+Tab twice reaches it, arrows move, Enter picks.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await chat.locator('.emoji button:focus').waitFor({ timeout: WAIT });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await chat.locator('textarea:focus').waitFor({ timeout: WAIT });
  assert.equal(await chat.locator('textarea').inputValue(), '😄');
  assert.equal(await chat.locator('.emoji').isVisible(), false);
  // A choice menu's buttons are reachable too; Escape closes the chat.
  await chat.getByRole('button', { name: 'An invoice' }).focus();
  await page.keyboard.press('Enter');
  await chat.locator('.msg.visitor', { hasText: 'An invoice' }).waitFor({ timeout: WAIT });
  await page.keyboard.press('Escape');
  await chat.locator('textarea').waitFor({ state: 'hidden', timeout: WAIT });
  assert.equal(await launcher.evaluate((b) => b.matches(':focus')), true);
  assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
  await context.close();
});

test('with data-locale="fr-FR" the widget speaks French', async () => {
  const frUrl = await env.host({ attrs: { locale: 'fr-FR' } });
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(frUrl);
  const { launcher } = widget(page);
  assert.equal(
    await launcher.getAttribute('aria-label', { timeout: WAIT }),
    'Ouvrir la discussion',
  );
  const chat = await openChat(page);
  assert.equal(await launcher.getAttribute('aria-label'), 'Fermer la discussion');
  assert.equal(await chat.locator('textarea').getAttribute('placeholder'), 'Écrivez un message…');
  await chat.getByRole('heading', { name: 'Discutez avec nous' }).waitFor({ timeout: WAIT });
  assert.equal(await (await chatFrame(page)).evaluate(() => document.documentElement.lang), 'fr');
  await writeAboutAnInvoice(chat, 'Bonjour');
  await chat.locator('.sys', { hasText: 'En attente d’un conseiller…' }).waitFor({ timeout: WAIT });
  await context.close();
});

test('a host page with a strict CSP only has to allow the server for scripts and frames', async () => {
  const csp = `default-src 'none'; script-src ${env.server}; frame-src ${env.server}`;
  const strictUrl = await env.host({ csp });
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const refused = [];
  page.on('console', (m) => m.text().includes('Content Security Policy') && refused.push(m.text()));
  await page.goto(strictUrl);
  const { launcher } = widget(page);
  await launcher.waitFor({ timeout: WAIT });
  // Styled (the launcher's sheet is a constructed one, which the host's CSP allows)…
  assert.equal(await launcher.evaluate((b) => getComputedStyle(b).width), '56px');
  // …and working.
  const chat = await openChat(page);
  await write(chat, 'Hello from a strict page');
  await chat.locator('.msg.bot', { hasText: 'Welcome to Acme!' }).waitFor({ timeout: WAIT });
  // The only refusal is the test page's own inline <style>.
  assert.equal(refused.length, 1, refused.join('\n'));
  assert.match(refused[0], /inline style/);
  await context.close();
});
