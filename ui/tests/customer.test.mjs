// An authenticated customer (the host signs the id with HMAC-SHA256) has one
// continuous thread: returning later, on another device, shows all of it, and
// writing again continues the same conversation.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { agent, openChat, setup, sign, WAIT, write, writeAboutAnInvoice } from './harness.mjs';

let env;
let ada;

before(async () => {
  env = await setup();
  ada = agent(env.backend, 'ada');
  await ada.login();
});

after(() => env?.close());

const jane = (signature) => ({
  'customer-id': 'cust-5521',
  'customer-name': 'Jane Doe',
  'customer-email': 'jane@example.com',
  'customer-signature': signature,
});

test('a returning customer sees the same thread and continues it', async () => {
  const hostUrl = await env.host({ attrs: jane(sign(env.backend.secret, 'cust-5521')) });

  const first = await env.browser.newContext();
  let page = await first.newPage();
  await page.goto(hostUrl);
  let chat = await openChat(page);
  let from = await ada.cursor();
  await writeAboutAnInvoice(chat, 'Hello, Jane here');
  const { frame: offer } = await ada.wait({ type: 'event', event: { type: 'offer' } }, from);
  assert.deepEqual(offer.event.visitor.customer, {
    id: 'cust-5521',
    name: 'Jane Doe',
    email: 'jane@example.com',
  });
  const conversation = await ada.take(from);
  await ada.say(conversation, 'Hello Jane, your invoice is fixed.');
  await chat.locator('.msg.agent', { hasText: 'invoice is fixed' }).waitFor({ timeout: WAIT });
  from = await ada.cursor();
  await ada.command({ type: 'archive', conversation });
  await ada.wait({ type: 'event', event: { type: 'wrap_up_started' } }, from);
  await ada.command({ type: 'complete_wrap_up', conversation, disposition: null });
  // A customer's conversation is never over for them: no ended state.
  await chat.getByText('This conversation is closed').waitFor({ timeout: WAIT });
  assert.equal(await chat.locator('textarea').isDisabled(), false);
  assert.equal(await chat.getByRole('button', { name: 'End chat' }).isVisible(), false);
  await first.close();

  // Later, another device: nothing stored, the signed identity finds the thread.
  const second = await env.browser.newContext();
  page = await second.newPage();
  await page.goto(hostUrl);
  chat = await openChat(page);
  await chat.locator('.msg.visitor', { hasText: 'Hello, Jane here' }).waitFor({ timeout: WAIT });
  await chat.locator('.msg.agent', { hasText: 'invoice is fixed' }).waitFor({ timeout: WAIT });
  from = await ada.cursor();
  await writeAboutAnInvoice(chat, 'One more question');
  const again = await ada.take(from);
  assert.equal(again, conversation, 'the same conversation, a new interaction');
  await chat.locator('.sys.divider', { hasText: 'New conversation' }).waitFor({ timeout: WAIT });
  // The whole thread, oldest first.
  const texts = await chat.locator('.msg .text').allTextContents();
  assert.deepEqual(texts.slice(0, 4), [
    'Hello, Jane here',
    'Welcome to Acme!',
    'What is your request about?',
    'An invoice',
  ]);
  assert.ok(texts.includes('Hello Jane, your invoice is fixed.'));
  assert.equal(texts.at(-1), 'An invoice');
  await second.close();
});

test('a wrong signature opens no session and says the chat is unavailable', async () => {
  const hostUrl = await env.host({ attrs: jane('0'.repeat(64)) });
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(hostUrl);
  const chat = await openChat(page);
  await chat.getByRole('alert').getByText('The chat is unavailable right now.').waitFor({
    timeout: WAIT,
  });
  assert.equal(await chat.getByRole('button', { name: 'Try again' }).isVisible(), true);
  await context.close();
});

test('identify() moves an anonymous visitor to their customer thread, and back', async () => {
  const hostUrl = await env.host();
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(hostUrl);
  const chat = await openChat(page);
  await write(chat, 'Hello, not logged in yet');
  await chat.locator('.msg.bot', { hasText: 'Welcome to Acme!' }).waitFor({ timeout: WAIT });

  const claim = { id: 'cust-77', name: 'Sam', signature: sign(env.backend.secret, 'cust-77') };
  await page.evaluate((c) => window.Banner('identify', c), claim);
  await chat.locator('.msg').first().waitFor({ state: 'detached', timeout: WAIT });
  const from = await ada.cursor();
  await writeAboutAnInvoice(chat, 'Now I am logged in');
  const { frame: offer } = await ada.wait({ type: 'event', event: { type: 'offer' } }, from);
  assert.deepEqual(offer.event.visitor.customer, { id: 'cust-77', name: 'Sam', email: null });
  assert.equal(await chat.getByText('Hello, not logged in yet').count(), 0);

  await page.evaluate(() => window.Banner('identify', null));
  await chat.getByText('Now I am logged in').waitFor({ state: 'detached', timeout: WAIT });
  await write(chat, 'Logged out');
  await chat.locator('.msg.bot', { hasText: 'Welcome to Acme!' }).waitFor({ timeout: WAIT });
  await context.close();
});
