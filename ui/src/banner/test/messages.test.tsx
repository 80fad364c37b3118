// A long chat: only its latest lines are in the document, earlier ones come
// on request, and the receipts and live lines work as in a short one.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AgentEvent, Logged } from '../../protocol';
import { Conversation } from '../components/Conversation';
import { SHOWN } from '../components/MessageList';
import { merge } from '../state/store';
import { message, setup } from './render';

const ADA = { type: 'agent' as const, id: 4, name: 'Ada' };

/** `n` messages, the visitor and Ada in turn, numbered from 1. */
function chat(n: number): Logged<AgentEvent>[] {
  return Array.from({ length: n }, (_, i) =>
    message(i + 1, i % 2 === 0 ? { type: 'visitor' } : ADA, `line ${i + 1}`),
  );
}

function shownTexts(container: HTMLElement): string[] {
  return [...container.querySelectorAll('.msg .text')].map((p) => p.textContent ?? '');
}

describe('a long chat', () => {
  it('shows its latest lines, and earlier ones on request', async () => {
    const total = SHOWN * 2 + 50;
    const { view } = setup(<Conversation conversation={1042} />, {
      prepare: (backend) => backend.logs.set(1042, chat(total)),
    });
    await screen.findByText(`line ${total}`);
    expect(shownTexts(view.container)).toHaveLength(SHOWN);
    expect(screen.queryByText('line 1')).toBeNull();

    const earlier = screen.getByRole('button', {
      name: `Show earlier messages (${total - SHOWN})`,
    });
    act(() => fireEvent.click(earlier));
    expect(shownTexts(view.container)).toHaveLength(SHOWN * 2);
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Show earlier messages (50)' })));
    expect(shownTexts(view.container)[0]).toBe('line 1');
    expect(screen.queryByRole('button', { name: /Show earlier/ })).toBeNull();
  });

  it("keeps new lines and the visitor's receipts coming", async () => {
    const total = SHOWN + 10;
    const { backend, view } = setup(<Conversation conversation={1042} />, {
      prepare: (backend) => backend.logs.set(1042, chat(total)),
    });
    await screen.findByText(`line ${total}`);
    // Async: each new line makes the chat ask where it stands again.
    await act(async () => {
      backend.push({ type: 'event', ...message(total + 1, { type: 'visitor' }, 'a new line') });
      backend.push({
        type: 'event',
        conversation: 1042,
        seq: total + 2,
        at: 0,
        event: { type: 'receipt', by: { type: 'visitor' }, kind: 'read', up_to: total },
      });
    });
    expect(shownTexts(view.container).at(-1)).toBe('a new line');
    const receipts = [...view.container.querySelectorAll('.msg-agent .receipt')];
    expect(receipts.at(-1)?.textContent).toBe('Read');
  });
});

describe('merging a log', () => {
  it('appends in order, and places late or repeated events by seq', () => {
    const log = chat(3);
    expect(merge(log, chat(5).slice(3)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(merge(log, [])).toBe(log);
    const late = merge(log, [
      message(5, ADA, 'five'),
      message(4, ADA, 'four'),
      message(2, ADA, 'line 2'),
    ]);
    expect(late.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });
});
