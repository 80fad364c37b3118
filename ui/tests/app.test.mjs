// The agents' web app (`/app/`, the Banner's UI in a browser) against a real
// server, with a visitor in the real widget on another origin: log in, go
// available, take the offer, talk both ways (hostile text stays text),
// archive and wrap up.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { logInApp, openChat, setup, WAIT, write, writeAboutAnInvoice } from './harness.mjs';

let env;
let hostUrl;

before(async () => {
  env = await setup();
  hostUrl = await env.host();
});

after(() => env?.close());

test('an agent takes a chat in the web app, talks with the visitor, and wraps it up', async () => {
  const agentContext = await env.browser.newContext();
  const { page: app, errors } = await logInApp(env, agentContext, 'ada');
  await app.getByLabel('Presence').selectOption('available');
  await app.getByText('Load 0/').waitFor({ timeout: WAIT });

  const visitorContext = await env.browser.newContext();
  const site = await visitorContext.newPage();
  await site.goto(hostUrl);
  const chat = await openChat(site);
  await writeAboutAnInvoice(chat, 'Hello, my invoice is wrong');

  // The offer: smart routing, from the Billing queue.
  const offer = app.getByRole('alertdialog', { name: /^Smart routing chat from / });
  await offer.waitFor({ timeout: WAIT });
  assert.match(await offer.locator('dl').textContent(), /Queue\s*Billing/);
  await offer.getByRole('button', { name: 'Accept' }).click();
  await chat.locator('.sys', { hasText: 'Ada joined the chat' }).waitFor({ timeout: WAIT });

  // What came before the offer is in the conversation.
  const messages = app.getByRole('list', { name: 'Messages' });
  await messages.getByText('Hello, my invoice is wrong').waitFor({ timeout: WAIT });

  // Agent → visitor.
  await app.getByRole('textbox', { name: 'Message', exact: true }).fill('Let me look at it.');
  await app.getByRole('button', { name: 'Send', exact: true }).click();
  await chat.locator('.msg.agent', { hasText: 'Let me look at it.' }).waitFor({ timeout: WAIT });

  // Visitor → agent, hostile text shown as text.
  const hostile = '<img src=x onerror="window.__xss = 1"> invoice 42';
  await write(chat, hostile);
  await messages.getByText(hostile).waitFor({ timeout: WAIT });
  assert.equal(await messages.locator('img').count(), 0);
  assert.equal(await app.evaluate(() => window.__xss), undefined);

  // A private note never reaches the visitor.
  await app.getByRole('checkbox', { name: 'Private note' }).check();
  await app.getByRole('textbox', { name: 'Private note' }).fill('Customer seems upset');
  await app.getByRole('button', { name: 'Send', exact: true }).click();
  await messages.getByText('Customer seems upset').waitFor({ timeout: WAIT });

  // Archive, then wrap-up, then the chat is done.
  await app.getByRole('button', { name: 'Archive' }).click();
  await chat
    .locator('.sys', { hasText: /ended|archived/i })
    .first()
    .waitFor({ timeout: WAIT });
  const complete = app.getByRole('button', { name: 'Complete wrap-up' });
  await complete.waitFor({ timeout: WAIT });
  await complete.click();
  await complete.waitFor({ state: 'detached', timeout: WAIT });

  assert.equal(await chat.getByText('Customer seems upset').count(), 0);
  assert.deepEqual(errors, []);
  await visitorContext.close();
  await agentContext.close();
});

test('a wrong password is refused with the server’s message', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.backend.url}/app/`);
  const form = page.getByRole('form', { name: 'Log in' });
  await form.getByLabel('User').fill('ada');
  await form.getByLabel('Password').fill('not the password');
  await form.getByRole('button', { name: 'Log in' }).click();
  await form.getByRole('alert').waitFor({ timeout: WAIT });
  assert.equal(await page.getByLabel('Presence').count(), 0);
  await context.close();
});
