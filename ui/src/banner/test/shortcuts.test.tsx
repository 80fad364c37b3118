// Keyboard shortcuts (accept, decline, next chat) and a clicked notification
// opening its chat.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { InProgressChat, Offer } from '../../protocol';
import { App } from '../components/App';
import { PopupWindow } from '../components/PopupWindow';
import { nextChat, shortcutOf } from '../components/shortcuts';
import { setup, VISITOR } from './render';

function offer(conversation: number): Offer {
  return {
    conversation,
    agent: { id: 4, name: 'Ada' },
    kind: 'direct',
    queue: null,
    visitor: VISITOR,
    waiting_since: 0,
    transfer: null,
    phase: 'ringing',
    deadline: Date.now() + 30_000,
    script_first_node: null,
    returning: false,
  };
}

function chat(conversation: number): InProgressChat {
  return {
    conversation,
    visitor: VISITOR,
    queue: { id: 2, label: 'Billing' },
    latest: null,
    unread: 0,
    started_at: 0,
  };
}

const press = (init: KeyboardEventInit, target: Element | Document = document) =>
  act(async () => {
    fireEvent.keyDown(target, init);
  });

describe('keyboard shortcuts', () => {
  it('read Ctrl+Enter, Ctrl+Shift+D and Alt+Down, never plain keys', () => {
    const keys = { ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };
    expect(shortcutOf({ ...keys, key: 'Enter', ctrlKey: true })).toBe('accept');
    expect(shortcutOf({ ...keys, key: 'Enter', metaKey: true })).toBe('accept');
    expect(shortcutOf({ ...keys, key: 'D', ctrlKey: true, shiftKey: true })).toBe('decline');
    expect(shortcutOf({ ...keys, key: 'ArrowDown', altKey: true })).toBe('next_chat');
    expect(shortcutOf({ ...keys, key: 'Enter' })).toBeNull();
    expect(shortcutOf({ ...keys, key: 'Enter', shiftKey: true })).toBeNull();
    expect(shortcutOf({ ...keys, key: 'd', ctrlKey: true })).toBeNull();
  });

  it('accept the current (oldest) offer and open it, in the main window', async () => {
    const { backend, pool } = setup(<App inlineOffers={false} />);
    pool({ offers: [offer(1042), offer(1050)] });
    await press({ key: 'Enter', ctrlKey: true });
    expect(backend.callsOf('accept')).toEqual([[1042]]);
    expect(screen.getByRole('region', { name: 'Conversation 1042' })).toBeTruthy();
  });

  it('decline the current offer in the popup window', async () => {
    const { backend, pool } = setup(<PopupWindow />);
    pool({ offers: [offer(1050)] });
    await press({ key: 'D', ctrlKey: true, shiftKey: true });
    expect(backend.callsOf('decline')).toEqual([[1050]]);
    expect(backend.callsOf('accept')).toEqual([]);
  });

  it('do nothing without an offer, and Ctrl+Enter in the composer does not send', async () => {
    const { backend, pool } = setup(<App />);
    pool({ in_progress: [chat(1042)] });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: /v-7f3a9c/ })));
    const composer = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(composer, { target: { value: 'Hello' } });
    await press({ key: 'Enter', ctrlKey: true }, composer);
    expect(backend.callsOf('sendMessage')).toEqual([]);
    expect(backend.callsOf('accept')).toEqual([]);
    await press({ key: 'Enter' }, composer);
    expect(backend.callsOf('sendMessage')).toHaveLength(1);
  });

  it('cycle the chats in progress with Alt+Down', async () => {
    const { pool } = setup(<App />);
    pool({ in_progress: [chat(1042), chat(1043)] });
    await press({ key: 'ArrowDown', altKey: true });
    expect(screen.getByRole('region', { name: 'Conversation 1042' })).toBeTruthy();
    await press({ key: 'ArrowDown', altKey: true });
    expect(screen.getByRole('region', { name: 'Conversation 1043' })).toBeTruthy();
    await press({ key: 'ArrowDown', altKey: true });
    expect(screen.getByRole('region', { name: 'Conversation 1042' })).toBeTruthy();
    expect(nextChat([], null)).toBeNull();
    expect(nextChat([1, 2], 9)).toBe(1);
  });

  it('are listed in the help and on the buttons', () => {
    const { pool } = setup(<App />);
    pool({ offers: [offer(1042)] });
    fireEvent.click(screen.getByText('Keyboard shortcuts'));
    expect(screen.getByText('Accept the incoming chat')).toBeTruthy();
    expect(screen.getByText('Ctrl+Shift+D')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Accept' }).title).toBe('Accept (Ctrl+Enter)');
    expect(screen.getByRole('button', { name: 'Decline' }).getAttribute('aria-keyshortcuts')).toBe(
      'Control+Shift+D',
    );
  });
});

describe('a clicked notification', () => {
  it('opens its chat, also from the settings page', async () => {
    const { backend, pool } = setup(<App />);
    pool({ in_progress: [chat(1042), chat(1043)] });
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Notification settings' })),
    );
    await act(async () => backend.focus(1043));
    expect(screen.getByRole('region', { name: 'Conversation 1043' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Notification settings' })).toBeNull();
  });
});
