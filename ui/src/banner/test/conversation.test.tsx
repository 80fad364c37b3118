import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { MockBackend } from '../backend/mock';
import { BackendError } from '../backend/types';
import { App } from '../components/App';
import { transferTargets } from '../components/ChatActions';
import { Conversation } from '../components/Conversation';
import { message, setup, VISITOR } from './render';

const ADA = { type: 'agent' as const, id: 4, name: 'Ada' };
const SAM = { type: 'agent' as const, id: 9, name: 'Sam' };

function openLog(backend: MockBackend) {
  backend.logs.set(1042, [
    message(1, { type: 'smart_routing' }, 'What is your request about?'),
    message(2, { type: 'visitor' }, '<img src=x onerror=alert(1)> my invoice'),
    message(3, ADA, 'Let me check.'),
    message(4, SAM, 'Offer the 10% credit.', true),
    message(5, { type: 'system' }, 'The visitor is on a slow link.'),
  ]);
}

/** Waits for the log and the customer panel, so no answer lands after the test. */
async function opened() {
  await screen.findByText('Let me check.');
  await screen.findByRole('complementary', { name: 'Customer' });
}

/** Ada holds the chat, wherever `place` says it stands, with every action. */
function holding(backend: MockBackend, place: () => 'active' | 'wrap_up') {
  const base = backend.conversation.bind(backend);
  backend.conversation = async (c: number) => ({
    ...(await base(c)),
    place: place(),
    actions: {
      transfer_to_user: true,
      transfer_to_queue: true,
      transfer_to_flow: true,
      qualification_form: null,
      script: null,
      video_call: false,
    },
  });
}

describe('a conversation', () => {
  it('shows each kind of message in its own style, text as text', async () => {
    const { view } = setup(<Conversation conversation={1042} />, { prepare: openLog });
    await opened();
    const items = view.container.querySelectorAll('.msg');
    expect([...items].map((li) => li.className)).toEqual([
      'msg msg-smart_routing',
      'msg msg-visitor',
      'msg msg-agent',
      'msg msg-agent msg-private',
      'msg msg-system',
    ]);
    expect(screen.getByText('<img src=x onerror=alert(1)> my invoice')).toBeTruthy();
    expect(view.container.querySelector('img')).toBeNull();
    expect(items[3]?.textContent).toContain('Private note');
  });

  it('merges live events with the fetched log, once each and in order', async () => {
    const { backend, view } = setup(<Conversation conversation={1042} />, { prepare: openLog });
    await opened();
    act(() => {
      backend.push({ type: 'event', ...message(7, { type: 'visitor' }, 'seven') });
      backend.push({ type: 'event', ...message(6, { type: 'visitor' }, 'six') });
      backend.push({ type: 'event', ...message(6, { type: 'visitor' }, 'six') });
    });
    const texts = [...view.container.querySelectorAll('.msg .text')].map((p) => p.textContent);
    expect(texts.slice(-2)).toEqual(['six', 'seven']);
  });

  it("marks read what it shows, and shows the visitor's receipts under Ada's messages", async () => {
    const { backend, view } = setup(<Conversation conversation={1042} />, { prepare: openLog });
    await opened();
    await waitFor(() => expect(backend.callsOf('read')).toEqual([[1042, 5]]));
    expect(view.container.querySelector('.msg-agent .receipt')?.textContent).toBe('Sent');
    act(() =>
      backend.push({
        type: 'event',
        conversation: 1042,
        seq: 6,
        at: 0,
        event: { type: 'receipt', kind: 'read', up_to: 3, by: { type: 'visitor' } },
      }),
    );
    expect(view.container.querySelector('.msg-agent .receipt')?.textContent).toBe('Read');
  });

  it('sends one read at a time, the next covering what was shown meanwhile', async () => {
    const { backend } = setup(<Conversation conversation={1042} />, { prepare: openLog });
    backend.hold('read');
    await opened();
    await waitFor(() => expect(backend.callsOf('read')).toEqual([[1042, 5]]));
    act(() => {
      backend.push({ type: 'event', ...message(6, { type: 'visitor' }, 'six') });
      backend.push({ type: 'event', ...message(7, { type: 'visitor' }, 'seven') });
    });
    await screen.findByText('seven');
    expect(backend.callsOf('read')).toEqual([[1042, 5]]);
    act(() => backend.release('read'));
    await waitFor(() =>
      expect(backend.callsOf('read')).toEqual([
        [1042, 5],
        [1042, 7],
      ]),
    );
  });

  it('sends a read refused for now again after a pause, and not one refused for good', async () => {
    const { backend } = setup(<Conversation conversation={1042} />, { prepare: openLog });
    const reads = () => backend.callsOf('read');
    const later = { timeout: 3000 };
    backend.failures.set('read', new BackendError('rate_limited', 'Too many commands.'));
    await opened();
    await waitFor(() => expect(reads()).toEqual([[1042, 5]]));
    // Nothing new arrives, and the read is sent again all the same.
    await waitFor(
      () =>
        expect(reads()).toEqual([
          [1042, 5],
          [1042, 5],
        ]),
      later,
    );

    // The pause counts as waiting: what arrives meanwhile goes in the retry.
    backend.failures.set('read', new BackendError('closed', 'The connection closed.'));
    act(() => backend.push({ type: 'event', ...message(6, { type: 'visitor' }, 'six') }));
    await waitFor(() => expect(reads()).toHaveLength(3));
    act(() => backend.push({ type: 'event', ...message(7, { type: 'visitor' }, 'seven') }));
    await screen.findByText('seven');
    expect(reads()).toHaveLength(3);
    await waitFor(
      () =>
        expect(reads().slice(2)).toEqual([
          [1042, 6],
          [1042, 7],
        ]),
      later,
    );

    backend.failures.set('read', new BackendError('not_holder', 'Only the holder may.'));
    act(() => backend.push({ type: 'event', ...message(8, { type: 'visitor' }, 'eight') }));
    await waitFor(() => expect(reads()).toHaveLength(5));
    await new Promise((done) => setTimeout(done, 1500));
    expect(reads()).toHaveLength(5);
  });

  it('reads what was shown while a read waited when the chat is closed', async () => {
    const { backend, view } = setup(<Conversation conversation={1042} />, { prepare: openLog });
    backend.hold('read');
    await opened();
    await waitFor(() => expect(backend.callsOf('read')).toEqual([[1042, 5]]));
    act(() => backend.push({ type: 'event', ...message(6, { type: 'visitor' }, 'six') }));
    await screen.findByText('six');
    view.unmount();
    expect(backend.callsOf('read')).toEqual([
      [1042, 5],
      [1042, 6],
    ]);
  });

  it('shows who types, and drops the indicator when their message arrives', async () => {
    const { backend } = setup(<Conversation conversation={1042} />, { prepare: openLog });
    await opened();
    act(() =>
      backend.push({
        type: 'typing',
        conversation: 1042,
        who: { type: 'visitor' },
        on: true,
        private: false,
      }),
    );
    act(() =>
      backend.push({ type: 'typing', conversation: 1042, who: SAM, on: true, private: true }),
    );
    const line = document.querySelector('.typing');
    expect(line?.textContent).toBe('The visitor is typing… Sam is typing a private note…');
    act(() => backend.push({ type: 'event', ...message(6, { type: 'visitor' }, 'done') }));
    expect(line?.textContent).toBe('Sam is typing a private note…');
  });

  it('sends messages and private notes, with typing indicators', async () => {
    const { backend } = setup(<Conversation conversation={1042} />, { prepare: openLog });
    await opened();
    const box = await screen.findByLabelText('Message');
    fireEvent.change(box, { target: { value: 'Here it is.' } });
    expect(backend.callsOf('typing')).toEqual([[1042, true, false]]);
    await act(async () => fireEvent.keyDown(box, { key: 'Enter' }));
    expect(backend.callsOf('sendMessage')).toEqual([[1042, 'Here it is.', false, []]]);
    expect(box).toHaveProperty('value', '');

    fireEvent.click(screen.getByLabelText('Private note', { selector: 'input' }));
    const note = screen.getByLabelText('Private note', { selector: 'textarea' });
    fireEvent.change(note, { target: { value: 'for Sam' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Send' })));
    expect(backend.callsOf('sendMessage')[1]).toEqual([1042, 'for Sam', true, []]);
  });

  it("empties the page's undo history at each send, not while typing", async () => {
    setup(<Conversation conversation={1042} />, { prepare: openLog });
    await opened();
    const box = await screen.findByLabelText('Message');
    // undoHistory.ts: one blank frame kept in the page, its document
    // replaced at each send. jsdom does not load documents, so the frame's
    // window is one that notes what it is asked to load.
    const loads: string[] = [];
    const frameWindow = { location: { replace: (url: string) => loads.push(url) } };
    const window = vi
      .spyOn(HTMLIFrameElement.prototype, 'contentWindow', 'get')
      .mockReturnValue(frameWindow as unknown as Window);
    const framesGone: Node[] = [];
    const watch = new MutationObserver((records) => {
      for (const r of records) framesGone.push(...r.removedNodes);
    });
    watch.observe(document.body, { childList: true, subtree: true });
    const type = async (text: string) => {
      fireEvent.change(box, { target: { value: text } });
      await act(async () => {});
    };
    const send = async () => {
      await act(async () => fireEvent.keyDown(box, { key: 'Enter' }));
      await act(async () => {});
    };
    try {
      await type('Here it is.');
      expect(loads).toEqual([]);
      await send();
      expect(loads).toEqual(['about:blank']);
      const frames = document.querySelectorAll('iframe');
      expect(frames).toHaveLength(1);
      await type('And the receipt.');
      expect(loads).toHaveLength(1);
      await send();
      expect(loads).toEqual(['about:blank', 'about:blank']);
      expect(document.querySelector('iframe')).toBe(frames[0]);
      expect(framesGone.filter((n) => n.nodeName === 'IFRAME')).toEqual([]);
    } finally {
      watch.disconnect();
      window.mockRestore();
    }
  });

  it('keeps a draft per chat while the agent looks at another', async () => {
    const { backend, pool } = setup(<App />);
    const row = (conversation: number, text: string) => ({
      conversation,
      visitor: { ...VISITOR, visitor_id: text },
      queue: null,
      latest: null,
      unread: 0,
      started_at: 0,
    });
    pool({ in_progress: [row(1042, 'first'), row(1043, 'second')] });
    fireEvent.click(screen.getByRole('button', { name: /^first/ }));
    fireEvent.change(await screen.findByLabelText('Message'), {
      target: { value: 'half-written' },
    });
    fireEvent.click(screen.getByRole('button', { name: /^second/ }));
    // The second chat's composer may show a moment after its region (a
    // loaded machine made the old synchronous look fail).
    const second = await screen.findByRole('region', { name: 'Conversation 1043' });
    expect(await within(second).findByLabelText('Message')).toHaveProperty('value', '');
    fireEvent.click(screen.getByRole('button', { name: /^first/ }));
    await waitFor(() =>
      expect(screen.getByLabelText('Message')).toHaveProperty('value', 'half-written'),
    );
    expect(backend.callsOf('sendMessage')).toEqual([]);
  });

  it('archives, then completes wrap-up with an outcome', async () => {
    let place: 'active' | 'wrap_up' = 'active';
    const { backend } = setup(<Conversation conversation={1042} />, {
      prepare: (backend) => {
        openLog(backend);
        holding(backend, () => place);
      },
    });
    const archive = await screen.findByRole('button', { name: 'Archive' });
    await act(async () => fireEvent.click(archive));
    expect(backend.callsOf('archive')).toEqual([[1042]]);
    place = 'wrap_up';
    act(() =>
      backend.push({
        type: 'event',
        conversation: 1042,
        seq: 6,
        at: 0,
        event: { type: 'archived', agent: { id: 4, name: 'Ada' } },
      }),
    );
    fireEvent.change(await screen.findByLabelText('Outcome'), {
      target: { value: 'invoice corrected' },
    });
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Complete wrap-up' })),
    );
    expect(backend.callsOf('completeWrapUp')).toEqual([[1042, 'invoice corrected']]);
  });

  it('transfers through the directory, blind or attended', async () => {
    const { backend } = setup(<Conversation conversation={1042} />, {
      prepare: (backend) => {
        openLog(backend);
        holding(backend, () => 'active');
      },
    });
    const transfer = await screen.findByRole('button', { name: 'Transfer…' });
    await act(async () => fireEvent.click(transfer));
    fireEvent.click(screen.getByLabelText('Attended'));
    const group = (name: string) => within(screen.getByRole('region', { name }));
    expect(group('Flows').getByRole('button', { name: 'Welcome' })).toHaveProperty(
      'disabled',
      true,
    );
    await act(async () => fireEvent.click(group('Queues').getByRole('button', { name: 'Sales' })));
    expect(backend.callsOf('transfer')).toEqual([[1042, { kind: 'queue', id: 3 }, 'attended']]);
  });
});

describe('the transfer targets', () => {
  const directory = {
    agents: [
      { id: 4, name: 'Ada', presence: 'available' as const },
      { id: 5, name: 'Bob', presence: 'away' as const },
    ],
    queues: [{ id: 3, label: 'Sales' }],
    flows: [{ id: 1, name: 'Welcome' }],
  };
  const all = {
    transfer_to_user: true,
    transfer_to_queue: true,
    transfer_to_flow: true,
    qualification_form: null,
    script: null,
    video_call: false,
  };

  it('never offers the agent themself, and groups users, queues and flows', () => {
    const groups = transferTargets(directory, all, 4);
    expect(groups.map((g) => [g.title, g.targets.map((t) => t.label)])).toEqual([
      ['Users', ['Bob (away)']],
      ['Queues', ['Sales']],
      ['Flows', ['Welcome']],
    ]);
  });

  it('lists only the kinds the profile may transfer to', () => {
    const groups = transferTargets(directory, { ...all, transfer_to_user: false }, 4);
    expect(groups.map((g) => g.title)).toEqual(['Queues', 'Flows']);
  });
});
