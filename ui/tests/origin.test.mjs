// The loader and the frame listen to each other only: messages posted by a
// page of another origin (here, an iframe the host page embeds) are ignored on
// both sides. And calls queued before the loader ran are replayed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chatFrame, setup, WAIT, widget, write } from './harness.mjs';

let env;
let foreignUrl;
let hostUrl;

before(async () => {
  env = await setup();
  foreignUrl = await env.serve({
    '/': '<!doctype html><title>Elsewhere</title><p>Another site</p>',
  });
  hostUrl = await env.host({
    body: `<iframe src="${foreignUrl}/" title="Another site" width="200" height="80"></iframe>`,
    // The embed snippet's stub: calls before the loader are queued…
    before:
      'window.Banner = window.Banner || function () { (Banner.q = Banner.q || []).push(arguments) };' +
      "Banner('open');",
  });
});

after(() => env?.close());

const FORGED = (site) => [
  {
    tag: 'banner/1',
    t: 'init',
    config: { site, locale: 'fr', customer: null, agent: null },
    open: true,
  },
  { tag: 'banner/1', t: 'identify', customer: { id: 'mallory', signature: 'f'.repeat(64) } },
  { tag: 'banner/1', t: 'open', open: false },
  { tag: 'banner/1', t: 'close' },
  { tag: 'banner/1', t: 'unread', count: 42 },
];

/** Records the origins of the messages a window hears. */
function record() {
  window.__heard = [];
  addEventListener('message', (e) => window.__heard.push(e.origin));
}

/** Waits until `frame` heard at least `n` messages from `origin`. */
async function heard(frame, origin, n) {
  for (const deadline = Date.now() + WAIT; Date.now() < deadline; ) {
    const origins = await frame.evaluate(() => window.__heard);
    if (origins.filter((o) => o === origin).length >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${n} messages from ${origin}`);
}

test('a queued open is replayed, and the loader ignores messages from another origin', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const sessions = [];
  context.on('request', (r) => r.url().endsWith('/v1/visitor/session') && sessions.push(r.url()));
  await page.goto(hostUrl);
  // …and replayed: the chat opened without a click.
  const { frame: chat, launcher } = widget(page);
  await chat.locator('textarea').waitFor({ state: 'visible', timeout: WAIT });
  await write(chat, 'Hello there');
  await chat.locator('.msg.bot', { hasText: 'Welcome to Acme!' }).waitFor({ timeout: WAIT });
  assert.equal(sessions.length, 1);

  await page.evaluate(record);
  const foreign = page.frames().find((f) => f.url().startsWith(foreignUrl));
  await foreign.evaluate((forged) => {
    for (const m of forged) parent.postMessage(m, '*');
  }, FORGED(env.backend.site));
  // The host window did receive them (so ignoring them is what this shows)…
  await heard(page.mainFrame(), foreignUrl, 5);
  await page.waitForTimeout(300);

  // …and nothing changed: chat still open, no forged badge.
  assert.equal(await chat.locator('textarea').isVisible(), true);
  assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
  assert.equal(await launcher.locator('span').textContent(), '');
  assert.equal(sessions.length, 1);

  // The real frame is still heard: its close button closes the chat.
  await chat.getByRole('button', { name: 'Close chat' }).click();
  await chat.locator('textarea').waitFor({ state: 'hidden', timeout: WAIT });
  assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
  await context.close();
});

test('the frame ignores a page of another origin that embeds it and claims the host’s origin', async () => {
  const hostOrigin = new URL(hostUrl).origin;
  const frameUrl = `${env.server}/widget/frame.html#origin=${encodeURIComponent(hostOrigin)}`;
  const evilUrl = await env.serve({
    '/': `<!doctype html><title>Evil</title><iframe src="${frameUrl}"></iframe>`,
  });
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const sessions = [];
  context.on('request', (r) => r.url().endsWith('/v1/visitor/session') && sessions.push(r.url()));
  // Listening from the start, in every frame, before any script of the page.
  await page.addInitScript(record);
  await page.goto(evilUrl);
  const frame = await chatFrame(page);
  await frame.waitForLoadState('load');
  await page.evaluate((forged) => {
    const target = document.querySelector('iframe').contentWindow;
    for (const m of forged) target.postMessage(m, '*');
  }, FORGED(env.backend.site));
  // Delivered to the frame…
  await heard(frame, new URL(evilUrl).origin, 5);
  await page.waitForTimeout(500);
  // …and ignored: no session, no chat.
  assert.deepEqual(sessions, []);
  assert.equal(await frame.evaluate(() => document.body.childElementCount), 0);
  // The frame's own "ready" went to the origin it names only: not to this page.
  assert.deepEqual(await page.evaluate(() => window.__heard), []);
  await context.close();
});
