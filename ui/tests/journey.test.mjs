// A visitor's whole journey: the launcher, smart routing's choice menu, the
// queue, an agent, messages both ways with typing indicators and read
// receipts, and the agent ending the chat.

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

test('a visitor goes through the choice menu to an agent and back', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(hostUrl);
  const chat = await openChat(page);

  await write(chat, 'Hello, I need help');
  // Smart routing answers as the assistant, with the menu as buttons.
  await chat.locator('.msg.bot', { hasText: 'Welcome to Acme!' }).waitFor({ timeout: WAIT });
  const menu = chat.getByRole('group', { name: 'What is your request about?' });
  await menu.getByRole('button', { name: 'An invoice' }).click({ timeout: WAIT });
  await chat.locator('.sys', { hasText: 'Waiting for an agent' }).waitFor({ timeout: WAIT });
  assert.equal(await menu.isVisible(), false, 'an answered menu is put away');

  const conversation = await ada.take();
  await chat.locator('.sys', { hasText: 'Ada joined the chat' }).waitFor({ timeout: WAIT });
  // The agent reads what came before the offer: the visitor's answer to the menu.
  const history = await ada.get(`/v1/conversations/${conversation}/events`);
  const texts = history.json.events
    .filter((e) => e.event.type === 'message' && e.event.author.type === 'visitor')
    .map((e) => e.event.text);
  assert.deepEqual(texts, ['Hello, I need help', 'An invoice']);

  await ada.say(conversation, 'Hello, I am Ada. Which invoice?');
  const reply = chat.locator('.msg.agent', { hasText: 'Which invoice?' });
  await reply.waitFor({ timeout: WAIT });
  assert.equal(await reply.locator('.who').textContent(), 'Ada');
  // Screen readers hear it.
  await chat
    .locator('[aria-live="polite"].sr', { hasText: 'Ada: Hello, I am Ada' })
    .waitFor({ state: 'attached', timeout: WAIT });

  await write(chat, 'The one from March');
  await ada.wait({ conversation, event: { type: 'message', text: 'The one from March' } });
  // Each kind of message looks like itself.
  assert.equal(await chat.locator('.msg.visitor').count(), 3);
  assert.equal(await chat.locator('.msg.agent').count(), 1);
  assert.ok((await chat.locator('.msg.bot').count()) >= 2);

  const cursor = await ada.cursor();
  await ada.command({ type: 'archive', conversation });
  await chat.locator('.sys', { hasText: 'Ada ended the chat' }).waitFor({ timeout: WAIT });
  await ada.wait({ type: 'event', event: { type: 'wrap_up_started' } }, cursor);
  await ada.command({ type: 'complete_wrap_up', conversation, disposition: null });
  // The chat is over; the visitor may start a new one, which is a new conversation.
  const startNew = chat.getByRole('button', { name: 'Start a new chat' });
  await startNew.waitFor({ timeout: WAIT });
  assert.equal(await chat.locator('textarea').isDisabled(), true);
  await startNew.click();
  assert.equal(await chat.locator('.msg').count(), 0);
  await write(chat, 'Me again');
  // Smart routing greets the new conversation from the start.
  await chat.getByRole('button', { name: 'A new order' }).waitFor({ timeout: WAIT });
  const seqs = await chat
    .locator('.msg[data-seq]')
    .evaluateAll((rows) => rows.map((r) => Number(r.dataset.seq)));
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
    'rows in log order',
  );
  assert.equal(await chat.locator('.msg.visitor').count(), 1);
  await context.close();
});

/** A visitor's chat, accepted by Ada; returns the page, the chat frame and the conversation. */
async function chatWithAda(hostUrl) {
  const context = await env.browser.newContext();
  return { context, ...(await chatWithAgent(ada, context, hostUrl)) };
}

test('typing shows on both sides, and stops', async () => {
  const { context, chat, conversation } = await chatWithAda(hostUrl);

  let from = await ada.cursor();
  await chat.locator('textarea').pressSequentially('I am wri', { delay: 30 });
  const visitorTyping = { type: 'typing', conversation, who: { type: 'visitor' } };
  await ada.wait({ ...visitorTyping, on: true }, from);
  // Stopping sends `off` (well before the 6 s expiry a receiver would apply).
  from = await ada.cursor();
  await ada.wait({ ...visitorTyping, on: false }, from, 5000);

  const indicator = chat.locator('.typing');
  await ada.command({ type: 'typing', conversation, on: true, private: false });
  await indicator.filter({ hasText: 'Ada is typing…' }).waitFor({ timeout: WAIT });
  await ada.command({ type: 'typing', conversation, on: false, private: false });
  await indicator.filter({ hasText: /^$/ }).waitFor({ state: 'attached', timeout: WAIT });
  await context.close();
});

test('read receipts go both ways, and only what was shown is read', async () => {
  const { context, page, chat, conversation } = await chatWithAda(hostUrl);
  const readByVisitor = (upTo) => ({
    type: 'event',
    conversation,
    event: {
      type: 'receipt',
      kind: 'read',
      by: { type: 'visitor' },
      ...(upTo ? { up_to: upTo } : {}),
    },
  });

  // Shown at once: the widget is open.
  let from = await ada.cursor();
  const seen = await ada.say(conversation, 'Are you there?');
  await ada.wait(readByVisitor(seen), from);

  // Closed: delivered, counted on the launcher, but not read…
  await chat.getByRole('button', { name: 'Close chat' }).click();
  from = await ada.cursor();
  const unseen = await ada.say(conversation, 'Still there?');
  await ada.wait(
    {
      type: 'event',
      conversation,
      event: { type: 'receipt', kind: 'delivered', by: { type: 'visitor' } },
    },
    from,
  );
  const badge = page.locator('button[aria-haspopup="dialog"] span');
  await badge.filter({ hasText: '1' }).waitFor({ timeout: WAIT });
  await assert.rejects(ada.wait(readByVisitor(), from, 1000), /no such frame/);
  // …until the visitor opens the chat again.
  await page.locator('button[aria-haspopup="dialog"]').click();
  await ada.wait(readByVisitor(unseen), from);
  await badge.waitFor({ state: 'hidden', timeout: WAIT });

  // The visitor's message: delivered to Ada's app (✓), then read by her (✓✓).
  await write(chat, 'Yes, here');
  const mine = chat.locator('.msg.visitor', { hasText: 'Yes, here' });
  await mine.and(chat.locator('[data-status="delivered"]')).waitFor({ timeout: WAIT });
  assert.equal(await mine.locator('.status [aria-hidden]').textContent(), '✓');
  const seq = Number(await mine.getAttribute('data-seq'));
  await ada.command({ type: 'read', conversation, seq });
  await mine.and(chat.locator('[data-status="read"]')).waitFor({ timeout: WAIT });
  assert.equal(await mine.locator('.status [aria-hidden]').textContent(), '✓✓');
  await context.close();
});
