// An anonymous visitor who stays away longer than the reconnection timer
// (2 s on this server) comes back to an ended chat: the widget says so and
// offers a new one.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { agent, chatWithAgent, setup, WAIT, write } from './harness.mjs';

let env;
let hostUrl;
let ada;

before(async () => {
  env = await setup({ reconnectionTimeoutSecs: 2 });
  hostUrl = await env.host();
  ada = agent(env.backend, 'ada');
  await ada.login();
});

after(() => env?.close());

/** Cuts the network until the server has given up on the visitor. */
async function stayAway(conversation) {
  const from = await ada.cursor();
  env.proxy.down(true);
  await ada.wait({ conversation, event: { type: 'visitor_left' } }, from);
  return ada.wait({ conversation, event: { type: 'wrap_up_started' } }, from);
}

test('coming back after the reconnection timer shows the ended chat', async () => {
  const context = await env.browser.newContext();
  const { chat, conversation } = await chatWithAgent(ada, context, hostUrl);
  await stayAway(conversation);
  await ada.command({ type: 'complete_wrap_up', conversation, disposition: null });
  env.proxy.down(false);

  await chat.getByText('This chat has ended.').waitFor({ timeout: WAIT });
  assert.equal(await chat.locator('textarea').isDisabled(), true);
  await chat.getByRole('button', { name: 'Start a new chat' }).click();
  assert.equal(await chat.locator('textarea').isDisabled(), false);
  assert.equal(await chat.locator('.msg').count(), 0);
  await write(chat, 'Starting over');
  await chat.getByRole('button', { name: 'An invoice' }).waitFor({ timeout: WAIT });
  await context.close();
});

test('writing into a chat that ended while away says so', async () => {
  const context = await env.browser.newContext();
  const { chat, conversation } = await chatWithAgent(ada, context, hostUrl);
  // The agent is still wrapping up: the log has not ended, but the visitor's part has.
  await stayAway(conversation);
  env.proxy.down(false);
  await chat.locator('.connection').filter({ hasText: /^$/ }).waitFor({
    state: 'attached',
    timeout: WAIT,
  });
  await write(chat, 'Hello?');
  await chat.getByText('This chat has ended.').waitFor({ timeout: WAIT });
  await chat
    .locator('.msg.visitor', { hasText: 'Hello?' })
    .and(chat.locator('[data-status="failed"]'))
    .waitFor({ timeout: WAIT });
  await chat.getByRole('button', { name: 'Start a new chat' }).waitFor({ timeout: WAIT });
  await context.close();
});
