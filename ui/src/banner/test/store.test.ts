// What the store keeps: the logs of the chat shown and of the agent's own
// chats, not of every chat the session has seen.
import { describe, expect, it } from 'vitest';
import type { AgentEvent, InProgressChat, Logged, Pool } from '../../protocol';
import { emptyPool } from '../backend/mock';
import { type Action, initialState, reduce, type State } from '../state/store';
import { VISITOR } from './render';

function line(conversation: number, seq: number): Logged<AgentEvent> {
  return {
    conversation,
    seq,
    at: 1763712000000 + seq,
    event: {
      type: 'message',
      author: { type: 'visitor' },
      private: false,
      text: `line ${seq}`,
      choices: [],
      attachments: [],
    },
  };
}

function chat(conversation: number): InProgressChat {
  return { conversation, visitor: VISITOR, queue: null, latest: null, unread: 0, started_at: 0 };
}

function poolHolding(at: number, conversations: number[]): Action {
  const pool: Pool = { ...emptyPool(), at, in_progress: conversations.map(chat) };
  return { type: 'frame', frame: { type: 'pool_changed', ...pool } };
}

function play(actions: Action[], state: State = initialState()): State {
  return actions.reduce((s, a) => reduce(s, a, 0), state);
}

const typing = (conversation: number): Action => ({
  type: 'frame',
  frame: { type: 'typing', conversation, who: { type: 'visitor' }, private: false, on: true },
});

describe('the logs the store keeps', () => {
  it('drops a chat that left the agent at the next pool snapshot', () => {
    const state = play([
      poolHolding(1, [7, 8]),
      { type: 'page', events: [line(7, 1), line(7, 2)] },
      { type: 'page', events: [line(8, 1)] },
      typing(8),
    ]);
    expect(Object.keys(state.logs)).toEqual(['7', '8']);
    const after = play([poolHolding(2, [7])], state);
    expect(after.logs[7]?.map((e) => e.seq)).toEqual([1, 2]);
    expect(after.logs[8]).toBeUndefined();
    expect(after.typing[8]).toBeUndefined();
  });

  it("drops a finished chat's draft with its log, and keeps the others'", () => {
    const draft = (conversation: number, text: string): Action => ({
      type: 'draft',
      conversation,
      draft: { text, private: false },
    });
    const state = play([poolHolding(1, [7, 8]), draft(7, 'Half a sentence'), draft(8, 'Bye')]);
    const after = play([poolHolding(2, [7])], state);
    expect(after.drafts).toEqual({ 7: { text: 'Half a sentence', private: false } });
  });

  it('keeps the chat shown until it is hidden, whatever the pool says', () => {
    const state = play([
      poolHolding(1, []),
      { type: 'shown', conversation: 9 },
      { type: 'page', events: [line(9, 1)] },
      poolHolding(2, []),
    ]);
    expect(state.logs[9]?.length).toBe(1);
    // Hiding another chat (a late cleanup) changes nothing.
    expect(play([{ type: 'hidden', conversation: 5 }], state)).toBe(state);
    const hidden = play([{ type: 'hidden', conversation: 9 }], state);
    expect(hidden.logs[9]).toBeUndefined();
    expect(hidden.shown).toBeNull();
  });

  it('keeps everything before the first pool snapshot', () => {
    const state = play([
      { type: 'page', events: [line(3, 1)] },
      { type: 'shown', conversation: 3 },
      { type: 'hidden', conversation: 3 },
    ]);
    expect(state.logs[3]?.length).toBe(1);
  });

  it('returns the same state when nothing is dropped', () => {
    const state = play([poolHolding(1, [7]), { type: 'page', events: [line(7, 1)] }]);
    const next = play([poolHolding(2, [7])], state);
    expect(next.logs).toBe(state.logs);
  });
});
