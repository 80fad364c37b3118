// Renders the agent UI over the mock backend, already logged in when asked.
import { act, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { AgentEvent, Logged, Pool } from '../../protocol';
import { ADA, emptyPool, MockBackend } from '../backend/mock';
import { BannerProvider } from '../state/context';
import { Store } from '../state/store';

export function setup(
  ui: ReactNode,
  {
    loggedIn = true,
    prepare,
  }: { loggedIn?: boolean; prepare?: (backend: MockBackend) => void } = {},
) {
  const backend = new MockBackend();
  prepare?.(backend);
  const store = new Store();
  if (loggedIn) {
    store.dispatch({ type: 'logged_in', profile: ADA });
    store.dispatch({ type: 'link', link: { state: 'up' } });
  }
  const view = render(
    <BannerProvider backend={backend} store={store}>
      {ui}
    </BannerProvider>,
  );
  /** Plays a pool snapshot as the server would send it. */
  const pool = (changes: Partial<Pool>) =>
    act(() => backend.push({ type: 'pool_changed', ...emptyPool(), ...changes }));
  return { backend, store, view, pool };
}

export const VISITOR = { visitor_id: 'v-7f3a9c', customer: null, locale: 'fr-FR' };
export const JANE = {
  visitor_id: 'v-11aa02',
  customer: { id: 'cust-5521', name: 'Jane Doe', email: 'jane@example.com' },
  locale: null,
};

/** A message event of conversation 1042. */
export function message(
  seq: number,
  author: Extract<AgentEvent, { type: 'message' }>['author'],
  text: string,
  isPrivate = false,
): Logged<AgentEvent> {
  return {
    conversation: 1042,
    seq,
    at: 1763712000000 + seq * 1000,
    event: { type: 'message', author, private: isPrivate, text, choices: [], attachments: [] },
  };
}
