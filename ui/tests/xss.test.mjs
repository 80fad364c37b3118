// Hostile text from either side is shown as text: nothing it contains runs,
// and no element of its making appears, in the frame or on the host page.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { agent, openChat, setup, WAIT, write, writeAboutAnInvoice } from './harness.mjs';

const PAYLOADS = [
  '<script>top.__xss = 1</script>',
  '<img src=x onerror="top.__xss = 2">',
  '<svg onload="top.__xss = 3"></svg>',
  '"><iframe src="javascript:top.__xss = 4"></iframe>',
  '<a href="javascript:top.__xss = 5">click me</a>',
  "'; top.__xss = 6; //",
  '{{constructor.constructor("top.__xss = 7")()}}',
  '<details open ontoggle="top.__xss = 8">x</details>',
  '</textarea><script>top.__xss = 9</script>',
  '<style>* { display: none !important }</style>',
  '<math><mtext><table><mglyph><style><img src=x onerror="top.__xss = 10">',
  '&lt;b&gt;entities stay entities&lt;/b&gt;',
  '<b>bold</b> **not markdown** [link](javascript:alert(1))',
  'javascript:top.__xss = 11',
  '\u202Ereversed\u202C and \u0000 nul',
];

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

test('payloads from the agent and from the visitor render as inert text', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(hostUrl);
  const chat = await openChat(page);
  const from = await ada.cursor();
  await writeAboutAnInvoice(chat, 'Hi');
  const conversation = await ada.take(from);

  for (const text of PAYLOADS) {
    await ada.say(conversation, text);
    await write(chat, text);
  }
  await ada.wait({ conversation, event: { type: 'message', text: PAYLOADS.at(-1) } }, from);
  await chat
    .locator('.msg.agent')
    .nth(PAYLOADS.length - 1)
    .waitFor({ timeout: WAIT });
  await chat
    .locator('.msg.visitor[data-seq]')
    .nth(PAYLOADS.length + 1)
    .waitFor({ timeout: WAIT });

  // Shown exactly as written (the text area may trim the visitor's ends).
  const agentTexts = await chat.locator('.msg.agent .text').allTextContents();
  assert.deepEqual(agentTexts, PAYLOADS);
  const visitorTexts = await chat.locator('.msg.visitor .text').allTextContents();
  assert.deepEqual(
    visitorTexts.slice(2),
    PAYLOADS.map((p) => p.trim()),
  );
  // Stored as text on the server too.
  const events = await ada.get(`/v1/conversations/${conversation}/events?limit=500`);
  const stored = events.json.events
    .filter((e) => e.event.type === 'message' && e.event.author.type === 'visitor')
    .map((e) => e.event.text);
  assert.deepEqual(
    stored.slice(2),
    PAYLOADS.map((p) => p.trim()),
  );

  // Nothing ran, nowhere.
  const frame = page.frames().find((f) => f.url().includes('/widget/frame.html'));
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await frame.evaluate(() => window.__xss), undefined);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  // No element came from the text: the log holds only the widget's own markup.
  const tags = await frame.evaluate(() => [
    ...new Set([...document.querySelectorAll('.log *')].map((e) => e.localName)),
  ]);
  const own = new Set(['li', 'span', 'div', 'p', 'time', 'button']);
  assert.deepEqual(
    tags.filter((t) => !own.has(t)),
    [],
  );
  assert.equal(await frame.evaluate(() => document.querySelectorAll('script').length), 1);
  assert.equal(await frame.evaluate(() => document.querySelectorAll('iframe, img, a').length), 0);
  await context.close();
});
