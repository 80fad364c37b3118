// The composer's emoji: a short palette of the ones chats use most, inserted
// at the caret. No images or fonts are fetched: the characters are drawn by
// the system's emoji font (bootstrap installs Noto Color Emoji on Linux).
import { useState } from 'react';

export const EMOJI = [
  '😊',
  '😀',
  '😉',
  '🙂',
  '😅',
  '😢',
  '🙏',
  '👍',
  '👋',
  '👌',
  '🎉',
  '❤️',
  '✅',
  '❌',
  '⏳',
  '📦',
  '💳',
  '📞',
  '📧',
  '🔒',
  '🚚',
  '💡',
  '⚠️',
  '🤝',
] as const;

/** `text` with `emoji` put at `[start, end)` (the selection), and the new caret. */
export function insertAt(
  text: string,
  emoji: string,
  start: number,
  end: number,
): { text: string; caret: number } {
  const a = Math.max(0, Math.min(start, text.length));
  const b = Math.max(a, Math.min(end, text.length));
  return { text: text.slice(0, a) + emoji + text.slice(b), caret: a + emoji.length };
}

export function EmojiPicker({ onPick }: { onPick: (emoji: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <span className="emoji">
      <button type="button" aria-label="Emoji" aria-expanded={open} onClick={() => setOpen(!open)}>
        😊
      </button>
      {open && (
        <fieldset aria-label="Emoji palette" className="emoji-palette">
          {EMOJI.map((e) => (
            <button
              key={e}
              type="button"
              onClick={() => {
                onPick(e);
                setOpen(false);
              }}
            >
              {e}
            </button>
          ))}
        </fieldset>
      )}
    </span>
  );
}
