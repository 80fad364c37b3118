// Attachments from the widget: an image reaches the agent and shows inline, a
// file whose content is not an allowed type is refused with a clear message,
// and a file over the protocol's limit is refused before it is sent. The
// server side of uploads is being built in parallel: where this server does not
// have the upload endpoint yet, the tests that need it are skipped, saying so.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { agent, chatWithAgent, setup, WAIT } from './harness.mjs';

let env;
let hostUrl;
let ada;
let uploads = null;

before(async () => {
  env = await setup();
  hostUrl = await env.host();
  ada = agent(env.backend, 'ada');
  await ada.login();
  // Without the route the router answers a bare 404; with it, a protocol error body.
  const probe = await fetch(`${env.backend.url}/v1/conversations/1/attachments`, {
    method: 'POST',
    body: '',
  });
  const body = await probe.text();
  uploads = body.includes('"code"')
    ? null
    : `the server has no upload endpoint yet (${probe.status})`;
});

after(() => env?.close());

/** A valid PNG of `w`×`h` red pixels. */
function png(w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, Buffer.from([255, 0, 0]))]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array(h).fill(row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('an image the visitor sends reaches the agent and shows inline', async (t) => {
  if (uploads) return t.skip(uploads);
  const context = await env.browser.newContext();
  const { chat, conversation } = await chatWithAgent(ada, context, hostUrl);
  const image = png(3, 2);
  const from = await ada.cursor();
  await chat.locator('input[type=file]').setInputFiles({
    name: 'photo.png',
    mimeType: 'image/png',
    buffer: image,
  });
  const { frame } = await ada.wait(
    {
      conversation,
      event: {
        type: 'message',
        author: { type: 'visitor' },
        attachments: [{ filename: 'photo.png', media_type: 'image/png', size: image.length }],
      },
    },
    from,
  );
  const sent = await ada.get(`/v1/attachments/${frame.event.attachments[0].id}`);
  assert.equal(sent.status, 200);
  assert.equal(sent.sha256, createHash('sha256').update(image).digest('hex'));
  // The visitor sees it inline, fetched with the token into an object URL.
  const img = chat.locator('.msg.visitor figure.att img');
  await img.waitFor({ timeout: WAIT });
  await chat.locator('.msg.visitor figure.att img[src^="blob:"]').waitFor({ timeout: WAIT });
  const width = await img.evaluate((el) =>
    el.complete
      ? el.naturalWidth
      : new Promise((r) => el.addEventListener('load', () => r(el.naturalWidth))),
  );
  assert.equal(width, 3);
  await context.close();
});

test('a file whose content is not allowed is refused with a clear message', async (t) => {
  if (uploads) return t.skip(uploads);
  const context = await env.browser.newContext();
  const { chat, conversation } = await chatWithAgent(ada, context, hostUrl);
  // Named and typed as an image, but HTML inside: the server judges by content.
  await chat.locator('input[type=file]').setInputFiles({
    name: 'invoice.png',
    mimeType: 'image/png',
    buffer: Buffer.from('<!doctype html><script>alert(1)</script>'),
  });
  await chat
    .getByRole('alert')
    .getByText(
      'invoice.png cannot be sent: only images, videos, audio, PDF, Word, Excel and text files can.',
    )
    .waitFor({ timeout: WAIT });
  const events = await ada.get(`/v1/conversations/${conversation}/events?limit=500`);
  assert.equal(
    events.json.events.filter((e) => e.event.type === 'message' && e.event.attachments.length)
      .length,
    0,
  );
  assert.equal(await chat.locator('.msg.visitor figure, .msg.visitor .file').count(), 0);
  await context.close();
});

test('a file over the size limit is refused before it is sent', async () => {
  const context = await env.browser.newContext();
  const { page, chat } = await chatWithAgent(ada, context, hostUrl);
  const posted = [];
  page.on('request', (r) => r.url().includes('/attachments') && posted.push(r.url()));
  // Made in the page (10 MiB + 1 byte), as if the visitor had picked it.
  await chat.locator('input[type=file]').evaluate((input) => {
    const files = new DataTransfer();
    files.items.add(new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'huge.pdf'));
    input.files = files.files;
    input.dispatchEvent(new Event('change'));
  });
  await chat
    .getByRole('alert')
    .getByText('huge.pdf is too large: files may have up to 10 MB.')
    .waitFor({ timeout: WAIT });
  assert.deepEqual(posted, []);
  await context.close();
});
