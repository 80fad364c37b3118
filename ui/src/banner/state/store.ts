// What the agent UI knows, built from the backend's frames by one pure
// function (`reduce`), and a tiny store React subscribes to. Conversations'
// logs are kept by `seq`: a page fetched over HTTP and the live frames merge
// without doubles or disorder.
//
// Logs are kept only for the chat shown and the agent's own chats (In
// progress, Messages pending customers, wrap-up: as many as the capacity
// allows). A chat that leaves them loses its log and its typing at the next
// pool snapshot; showing it again fetches the log from its start, as
// showing any chat does. Without this, a shift's every chat stayed in memory
// (the desktop soak, docs/benchmarks-journal.md).
import {
  type AgentEvent,
  type AgentFrame,
  type AgentProfile,
  type Author,
  type Logged,
  type Participant,
  type Pool,
  type Supervision,
  TYPING_EXPIRES_MS,
} from '../../protocol';
import type { BackendEvent, Link } from '../backend/types';

export type Typing = { who: Participant; private: boolean; until: number };
export type Draft = { text: string; private: boolean };

export type State = {
  link: Link;
  profile: AgentProfile | null;
  pool: Pool | null;
  supervision: Supervision | null;
  /** Each conversation's log, in `seq` order. */
  logs: Record<number, Logged<AgentEvent>[]>;
  /** Who types in each conversation, until when (local clock). */
  typing: Record<number, Typing[]>;
  /** The composer's text per chat, kept while the agent looks elsewhere. */
  drafts: Record<number, Draft>;
  /** The server's clock minus ours, from the last `welcome`. */
  clockOffset: number;
  /** The last notification, for the desktop to show and the UI to flash. */
  notification: Extract<AgentFrame, { type: 'notification' }> | null;
  /** The conversation shown, whose log stays whatever the pool says. */
  shown: number | null;
};

export type Action =
  | BackendEvent
  | { type: 'logged_in'; profile: AgentProfile }
  | { type: 'logged_out' }
  | { type: 'page'; events: Logged<AgentEvent>[] }
  | { type: 'draft'; conversation: number; draft: Draft }
  | { type: 'pool'; pool: Pool }
  | { type: 'shown'; conversation: number }
  | { type: 'hidden'; conversation: number };

export function initialState(): State {
  return {
    link: { state: 'closed', close_code: null },
    profile: null,
    pool: null,
    supervision: null,
    logs: {},
    typing: {},
    drafts: {},
    clockOffset: 0,
    notification: null,
    shown: null,
  };
}

/** Events merged into a log: in `seq` order, each once. */
export function merge(
  log: Logged<AgentEvent>[],
  events: Logged<AgentEvent>[],
): Logged<AgentEvent>[] {
  // The usual case, a page or a live event after everything held, appends:
  // no map and no sort of the whole log for each event.
  let last = log.at(-1)?.seq ?? 0;
  let inOrder = true;
  for (const e of events) {
    if (e.seq <= last) {
      inOrder = false;
      break;
    }
    last = e.seq;
  }
  if (inOrder) {
    return events.length === 0 ? log : log.concat(events);
  }
  const bySeq = new Map(log.map((e) => [e.seq, e]));
  for (const e of events) {
    bySeq.set(e.seq, e);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export function reduce(state: State, action: Action, now: number): State {
  switch (action.type) {
    case 'link':
      return { ...state, link: action.link };
    case 'logged_in':
      return { ...state, profile: action.profile };
    case 'logged_out':
      return initialState();
    case 'page':
    case 'frame':
      return action.type === 'page'
        ? withEvents(state, action.events)
        : onFrame(state, action.frame, now);
    case 'draft':
      return { ...state, drafts: { ...state.drafts, [action.conversation]: action.draft } };
    case 'pool':
      // An HTTP answer may be older than a `pool_changed` frame already here.
      return state.pool && state.pool.at >= action.pool.at
        ? state
        : pruned({ ...state, pool: action.pool });
    case 'shown':
      return { ...state, shown: action.conversation };
    case 'hidden':
      return state.shown === action.conversation ? pruned({ ...state, shown: null }) : state;
  }
}

/** The conversations whose logs are kept, or `null` (all) before the first pool. */
function kept(state: State): Set<number> | null {
  const pool = state.pool;
  if (!pool) {
    return null;
  }
  const keep = new Set<number>();
  for (const list of [pool.in_progress, pool.pending_customers, pool.wrap_up]) {
    for (const chat of list) {
      keep.add(chat.conversation);
    }
  }
  if (state.shown !== null) {
    keep.add(state.shown);
  }
  return keep;
}

/**
 * `state` without the logs, typing and drafts of conversations no longer
 * kept: a chat that left the agent can no longer be written in, and an
 * agent's shift goes through hundreds of them.
 */
function pruned(state: State): State {
  const keep = kept(state);
  if (!keep) {
    return state;
  }
  const gone = (record: Record<number, unknown>) =>
    Object.keys(record).some((c) => !keep.has(Number(c)));
  if (!gone(state.logs) && !gone(state.typing) && !gone(state.drafts)) {
    return state;
  }
  const only = <T>(record: Record<number, T>): Record<number, T> =>
    Object.fromEntries(Object.entries(record).filter(([c]) => keep.has(Number(c))));
  return {
    ...state,
    logs: only(state.logs),
    typing: only(state.typing),
    drafts: only(state.drafts),
  };
}

function withEvents(state: State, events: Logged<AgentEvent>[]): State {
  if (events.length === 0) {
    return state;
  }
  // A page holds one conversation's events; each log is merged once per
  // dispatch, so a page of 100 makes one new array, not 100.
  const byConversation = new Map<number, Logged<AgentEvent>[]>();
  for (const e of events) {
    const list = byConversation.get(e.conversation);
    if (list) {
      list.push(e);
    } else {
      byConversation.set(e.conversation, [e]);
    }
  }
  const logs = { ...state.logs };
  const typing = { ...state.typing };
  for (const [conversation, added] of byConversation) {
    logs[conversation] = merge(logs[conversation] ?? [], added);
    // A message ends its author's typing indicator.
    for (const e of added) {
      if (e.event.type === 'message' && typing[conversation]) {
        const author = e.event.author;
        typing[conversation] = (typing[conversation] ?? []).filter(
          (t) => !samePerson(t.who, author),
        );
      }
    }
  }
  return { ...state, logs, typing };
}

function onFrame(state: State, frame: AgentFrame, now: number): State {
  switch (frame.type) {
    case 'welcome':
      return { ...state, profile: frame.agent, clockOffset: frame.server_time - now };
    case 'event':
      return withEvents(state, [frame]);
    case 'pool_changed': {
      const { type: _type, ...pool } = frame;
      return pruned({ ...state, pool });
    }
    case 'supervision_changed': {
      const { type: _type, ...supervision } = frame;
      return { ...state, supervision };
    }
    case 'presence': {
      const profile = state.profile ? { ...state.profile, presence: frame.presence } : null;
      const pool = state.pool ? { ...state.pool, presence: frame.presence } : null;
      return { ...state, profile, pool };
    }
    case 'typing': {
      const others = (state.typing[frame.conversation] ?? []).filter(
        (t) => !samePerson(t.who, frame.who),
      );
      const list = frame.on
        ? [...others, { who: frame.who, private: frame.private, until: now + TYPING_EXPIRES_MS }]
        : others;
      return { ...state, typing: { ...state.typing, [frame.conversation]: list } };
    }
    case 'notification':
      return { ...state, notification: frame };
    default:
      return state;
  }
}

/** Whether a typing indicator's person wrote or typed as `b`. */
function samePerson(a: Participant, b: Author | Participant): boolean {
  return a.type === b.type && (a.type !== 'agent' || (b.type === 'agent' && a.id === b.id));
}

/** A minimal store for `useSyncExternalStore`. */
export class Store {
  private state = initialState();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  get = (): State => this.state;

  dispatch = (action: Action): void => {
    this.state = reduce(this.state, action, this.now());
    for (const listener of this.listeners) {
      listener();
    }
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
