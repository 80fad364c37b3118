// The keyboard shortcuts: accept and decline the incoming chat, and go to the
// next chat in progress. None is a plain key, so the composer keeps Enter
// (send) and Shift+Enter (new line); Cmd stands for Ctrl on macOS.
import { useEffect, useRef } from 'react';

export type ShortcutAction = 'accept' | 'decline' | 'next_chat';

/** What the help lists and the buttons' tooltips show. */
export const SHORTCUTS: { action: ShortcutAction; keys: string; aria: string; label: string }[] = [
  {
    action: 'accept',
    keys: 'Ctrl+Enter',
    aria: 'Control+Enter',
    label: 'Accept the incoming chat',
  },
  {
    action: 'decline',
    keys: 'Ctrl+Shift+D',
    aria: 'Control+Shift+D',
    label: 'Decline the incoming chat',
  },
  { action: 'next_chat', keys: 'Alt+↓', aria: 'Alt+ArrowDown', label: 'Next chat in progress' },
];

export function keysOf(action: ShortcutAction): { keys: string; aria: string } {
  const shortcut = SHORTCUTS.find((s) => s.action === action);
  return { keys: shortcut?.keys ?? '', aria: shortcut?.aria ?? '' };
}

type Keys = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/** The action a key press asks for, if any. */
export function shortcutOf(e: Keys): ShortcutAction | null {
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && !e.shiftKey && !e.altKey && e.key === 'Enter') {
    return 'accept';
  }
  if (ctrl && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'd') {
    return 'decline';
  }
  if (e.altKey && !ctrl && !e.shiftKey && e.key === 'ArrowDown') {
    return 'next_chat';
  }
  return null;
}

/** The chat after `open` in `chats`, round the end; the first when none is open. */
export function nextChat(chats: number[], open: number | null): number | null {
  if (chats.length === 0) {
    return null;
  }
  const at = open === null ? -1 : chats.indexOf(open);
  return chats[(at + 1) % chats.length] ?? null;
}

/** Runs `handlers` on their shortcuts, anywhere in the window. */
export function useShortcuts(handlers: Partial<Record<ShortcutAction, () => void>>): void {
  // The latest handlers, without re-adding the listener at every render.
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutOf(e);
      const handler = action ? latest.current[action] : undefined;
      if (handler) {
        e.preventDefault();
        handler();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
