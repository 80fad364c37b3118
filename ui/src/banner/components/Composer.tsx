// Where the agent writes. The text and the private switch are a draft kept
// per chat in the store, so switching chats loses nothing. Typing indicators
// go out at most every TYPING_REPEAT_MS, and stop on send or when emptied.
// A send also empties the page's undo history (undoHistory.ts), which
// WebKitGTK would otherwise keep, with every edit's nodes, for the shift.
import { useRef, useState } from 'react';
import { type Attachment, MAX_TEXT_CHARS, TYPING_REPEAT_MS } from '../../protocol';
import { BackendError } from '../backend/types';
import { useBanner, useBannerState } from '../state/context';
import type { Draft } from '../state/store';
import { EmojiPicker, insertAt } from './EmojiPicker';
import { forgetUndoHistory } from './undoHistory';

const EMPTY: Draft = { text: '', private: false };

export function Composer({
  conversation,
  canWritePublic,
}: {
  conversation: number;
  canWritePublic: boolean;
}) {
  const { backend, store } = useBanner();
  const draft = useBannerState((s) => s.drafts[conversation] ?? EMPTY);
  const [files, setFiles] = useState<Attachment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const lastTyping = useRef(0);
  const box = useRef<HTMLTextAreaElement>(null);
  const isPrivate = draft.private || !canWritePublic;

  function setDraft(next: Draft) {
    store.dispatch({ type: 'draft', conversation, draft: next });
  }

  function onText(text: string) {
    setDraft({ ...draft, text });
    const now = Date.now();
    if (text === '') {
      backend.typing(conversation, false, isPrivate);
      lastTyping.current = 0;
    } else if (now - lastTyping.current >= TYPING_REPEAT_MS) {
      backend.typing(conversation, true, isPrivate);
      lastTyping.current = now;
    }
  }

  async function send() {
    if (draft.text.trim() === '' && files.length === 0) {
      return;
    }
    setError(null);
    try {
      await backend.sendMessage(
        conversation,
        draft.text,
        isPrivate,
        files.map((f) => f.id),
      );
      setDraft({ ...draft, text: '' });
      setFiles([]);
      forgetUndoHistory();
      backend.typing(conversation, false, isPrivate);
      lastTyping.current = 0;
    } catch (e) {
      setError(BackendError.from(e).message);
    }
  }

  /** Puts `emoji` where the caret was, and the caret after it. */
  function addEmoji(emoji: string) {
    const area = box.current;
    const at = area
      ? [area.selectionStart, area.selectionEnd]
      : [draft.text.length, draft.text.length];
    const next = insertAt(draft.text, emoji, at[0] ?? 0, at[1] ?? 0);
    onText(next.text);
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(next.caret, next.caret);
    });
  }

  async function attach(list: FileList | null) {
    setError(null);
    for (const file of Array.from(list ?? [])) {
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const uploaded = await backend.upload(conversation, {
          name: file.name,
          type: file.type,
          bytes,
        });
        setFiles((before) => [...before, uploaded]);
      } catch (e) {
        setError(BackendError.from(e).message);
      }
    }
  }

  return (
    <div className={isPrivate ? 'composer composer-private' : 'composer'}>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {files.length > 0 && (
        <ul className="pending-files" aria-label="Files to send">
          {files.map((f) => (
            <li key={f.id}>{f.filename}</li>
          ))}
        </ul>
      )}
      <textarea
        ref={box}
        aria-label={isPrivate ? 'Private note' : 'Message'}
        placeholder={isPrivate ? 'A note for agents only' : 'Write to the visitor'}
        maxLength={MAX_TEXT_CHARS}
        value={draft.text}
        onChange={(e) => onText(e.target.value)}
        onKeyDown={(e) => {
          // Ctrl+Enter is the accept shortcut, not a second way to send.
          if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
            e.preventDefault();
            send();
          }
        }}
      />
      <div className="composer-actions">
        <label>
          <input
            type="checkbox"
            checked={isPrivate}
            disabled={!canWritePublic}
            onChange={(e) => setDraft({ ...draft, private: e.target.checked })}
          />
          Private note
        </label>
        <EmojiPicker onPick={addEmoji} />
        <label className="attach">
          Attach
          <input type="file" multiple hidden onChange={(e) => attach(e.target.files)} />
        </label>
        <button type="button" onClick={send}>
          Send
        </button>
      </div>
    </div>
  );
}
