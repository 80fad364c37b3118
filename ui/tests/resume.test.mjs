// The conversation outlives the page and the network: a reload or a new tab
// shows it again (the session is in the frame's storage, never in a URL), and
// a dropped connection comes back and resumes without gaps or duplicates.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { agent, chatWithAgent, openChat, setup, WAIT, write } from './harness.mjs';

let env;
let hostUrl;
let ada;

before(async () => {
  env = await setup();
  hostUrl = await env.host();
  ada = agent(env.backend, 'ada');
  await ada.login();
});

after(() => env?.close());

/** The visitor's messages in a conversation, as the agent's side has them. */
async function visitorTexts(conversation) {
  const page = await ada.get(`/v1/conversations/${conversation}/events?limit=500`);
  return page.json.events
    .filter((e) => e.event.type === 'message' && e.event.author.type === 'visitor')
    .map((e) => e.event.text);
}

test('a reload and a new tab keep the conversation, and no token is in a URL', async () => {
  const context = await env.browser.newContext();
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  context.on('websocket', (ws) => urls.push(ws.url()));
  const { page, chat, conversation } = await chatWithAgent(ada, context, hostUrl);
  await ada.say(conversation, 'Before the reload');
  await chat.locator('.msg.agent', { hasText: 'Before the reload' }).waitFor({ timeout: WAIT });

  const sessions = () => urls.filter((u) => u.endsWith('/v1/visitor/session')).length;
  assert.equal(sessions(), 1);
  await page.reload();
  // The chat comes back open, with its history, on the same session.
  const again = page.frameLocator('iframe[src*="/widget/frame.html"]');
  await again.locator('.msg.agent', { hasText: 'Before the reload' }).waitFor({ timeout: WAIT });
  await again.locator('.msg.visitor', { hasText: 'An invoice' }).waitFor({ timeout: WAIT });
  assert.equal(sessions(), 1, 'no new session after a reload');
  await write(again, 'After the reload');
  await ada.wait({ conversation, event: { type: 'message', text: 'After the reload' } });

  // A new tab: the chat starts closed and opens on the same conversation.
  const tab = await context.newPage();
  await tab.goto(hostUrl);
  const third = await openChat(tab);
  await third.locator('.msg.visitor', { hasText: 'After the reload' }).waitFor({ timeout: WAIT });
  await write(third, 'From a new tab');
  await ada.wait({ conversation, event: { type: 'message', text: 'From a new tab' } });
  assert.equal(sessions(), 1);
  assert.deepEqual(await visitorTexts(conversation), [
    'Hi',
    'An invoice',
    'After the reload',
    'From a new tab',
  ]);

  const frame = page.frames().find((f) => f.url().includes('/widget/frame.html'));
  const stored = await frame.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('banner:'))
      .map((k) => JSON.parse(localStorage.getItem(k))),
  );
  const token = stored[0]?.token;
  assert.ok(token && token.length >= 16, 'the session is in the frame’s storage');
  assert.deepEqual(
    urls.filter((u) => u.includes(token)),
    [],
    'the token never appears in a URL',
  );
  // The host page cannot read it: it is another origin's storage.
  const hostKeys = await page.evaluate(() => Object.keys(localStorage));
  assert.deepEqual(hostKeys, []);
  await context.close();
});

test('a dropped connection comes back, resends, and misses nothing', async () => {
  const context = await env.browser.newContext();
  const { chat, conversation } = await chatWithAgent(ada, context, hostUrl);

  env.proxy.down(true);
  const status = chat.locator('.connection');
  await status.filter({ hasText: 'Reconnecting' }).waitFor({ timeout: WAIT });
  // Both sides go on while the visitor is away.
  await ada.say(conversation, 'Are you still with me?');
  await write(chat, 'Sent while offline');
  const pending = chat.locator('.msg.visitor', { hasText: 'Sent while offline' });
  assert.equal(await pending.getAttribute('data-status'), 'sending');

  env.proxy.down(false);
  await chat
    .locator('.msg.agent', { hasText: 'Are you still with me?' })
    .waitFor({ timeout: WAIT });
  await pending.and(chat.locator('[data-status="delivered"]')).waitFor({ timeout: WAIT });
  await status.filter({ hasText: /^$/ }).waitFor({ state: 'attached', timeout: WAIT });

  // The server gets a message but its answer is lost with the connection: the
  // widget resends it with the same id, and it is applied once.
  env.proxy.hold();
  const from = await ada.cursor();
  await write(chat, 'Once only');
  await ada.wait({ conversation, event: { type: 'message', text: 'Once only' } }, from);
  assert.equal(
    await chat.locator('.msg.visitor', { hasText: 'Once only' }).getAttribute('data-status'),
    'sending',
  );
  env.proxy.cut();
  await chat
    .locator('.msg.visitor', { hasText: 'Once only' })
    .and(chat.locator('[data-status="delivered"]'))
    .waitFor({ timeout: WAIT });
  assert.deepEqual(await visitorTexts(conversation), [
    'Hi',
    'An invoice',
    'Sent while offline',
    'Once only',
  ]);
  // Nothing shown twice, everything in log order.
  const seqs = await chat
    .locator('.log > li[data-seq]')
    .evaluateAll((rows) => rows.map((r) => Number(r.dataset.seq)));
  assert.deepEqual(
    seqs,
    [...new Set(seqs)].sort((a, b) => a - b),
  );
  assert.equal(await chat.locator('.msg.agent', { hasText: 'Are you still with me?' }).count(), 1);
  await context.close();
});

test('a message written while the session is still opening is sent', async () => {
  const context = await env.browser.newContext();
  // A slow network: the new session's answer waits until released.
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await context.route('**/v1/visitor/session', async (route) => {
    await held;
    await route.continue();
  });
  const page = await context.newPage();
  await page.goto(hostUrl);
  const chat = await openChat(page);
  await write(chat, 'Typed early');
  const early = chat.locator('.msg.visitor', { hasText: 'Typed early' });
  assert.equal(await early.getAttribute('data-status'), 'sending');
  release();
  const from = await ada.cursor();
  await chat.getByRole('button', { name: 'An invoice' }).click({ timeout: WAIT });
  const conversation = await ada.take(from);
  assert.deepEqual(await visitorTexts(conversation), ['Typed early', 'An invoice']);
  await context.close();
});
