// The supervisor's live view in the agents' web app, against a real server:
// Sue (profile supervisor) watches a chat wait in Billing (count and longest
// wait), sees Ada take it (presence and load), and opens the conversation
// read-only: she reads it, may not write to the visitor or act on the chat.
// Ada, an agent without the monitor permission, has no supervision at all.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { logInApp, openChat, setup, WAIT, writeAboutAnInvoice } from './harness.mjs';

let env;
let hostUrl;

before(async () => {
  env = await setup();
  hostUrl = await env.host();
});

after(() => env?.close());

/** The cells of the row of `table` whose first cell is `first`. */
async function rowOf(table, first) {
  const row = table.locator('tbody tr', { has: table.page().locator(`td:text-is("${first}")`) });
  await row.first().waitFor({ timeout: WAIT });
  return row.first().locator('td').allTextContents();
}

test('a supervisor watches queues, agents and a chat, read-only', async () => {
  const sueContext = await env.browser.newContext();
  const { page: sue, errors } = await logInApp(env, sueContext, 'sue');
  await sue.getByRole('button', { name: 'Supervision' }).click();
  const queues = sue.getByRole('table', { name: 'Queues' });
  const agents = sue.getByRole('table', { name: 'Agents' });
  const conversations = sue.getByRole('table', { name: 'Conversations' });
  await queues.waitFor({ timeout: WAIT });

  // A visitor's chat waits in Billing: no agent is available.
  const visitorContext = await env.browser.newContext();
  const site = await visitorContext.newPage();
  await site.goto(hostUrl);
  const chat = await openChat(site);
  await writeAboutAnInvoice(chat, 'Is my refund on its way?');
  await queues
    .locator('tbody tr', { hasText: 'Billing' })
    .locator('td')
    .nth(1)
    .filter({ hasText: /^1$/ })
    .waitFor({ timeout: WAIT });
  const [, waiting, longest] = await rowOf(queues, 'Billing');
  assert.equal(waiting, '1');
  assert.match(longest, /^\d+:\d\d$/);

  // Ada, a plain agent, has no supervision; she takes the chat.
  const adaContext = await env.browser.newContext();
  const { page: ada } = await logInApp(env, adaContext, 'ada');
  assert.equal(await ada.getByRole('button', { name: 'Supervision' }).count(), 0);
  await ada.getByLabel('Presence').selectOption('available');
  const offer = ada.getByRole('alertdialog');
  await offer.getByRole('button', { name: 'Accept' }).click({ timeout: WAIT });

  // Sue sees Ada's load and the chat active with her.
  await agents
    .locator('tbody tr', { hasText: 'Ada' })
    .filter({ hasText: '1/' })
    .waitFor({ timeout: WAIT });
  const [, presence] = await rowOf(agents, 'Ada');
  assert.equal(presence, 'available');
  const row = conversations.locator('tbody tr', { hasText: 'Ada' });
  await row.filter({ hasText: 'active' }).waitFor({ timeout: WAIT });
  assert.equal((await rowOf(queues, 'Billing'))[1], '0');

  // Read-only: the whole conversation, no public composer, no actions.
  await row.getByRole('button').click();
  const messages = sue.getByRole('list', { name: 'Messages' });
  await messages.getByText('Is my refund on its way?').waitFor({ timeout: WAIT });
  assert.equal(await sue.getByRole('textbox', { name: 'Message', exact: true }).count(), 0);
  for (const action of ['Archive', 'Wait for customer', 'Transfer…']) {
    assert.equal(await sue.getByRole('button', { name: action }).count(), 0, action);
  }
  assert.deepEqual(errors, []);
  await visitorContext.close();
  await adaContext.close();
  await sueContext.close();
});
