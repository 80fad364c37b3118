import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../backend/types';
import { App } from '../components/App';
import { JANE, setup, VISITOR } from './render';

describe('the pool', () => {
  it('lists each tab with its count and switches between them', async () => {
    const { pool } = setup(<App />);
    pool({
      in_progress: [
        {
          conversation: 1042,
          visitor: VISITOR,
          queue: { id: 2, label: 'Billing' },
          latest: {
            author: { type: 'visitor' },
            private: false,
            text: 'My invoice is wrong.',
            at: 0,
          },
          unread: 2,
          started_at: 0,
        },
      ],
      pending_customers: [{ conversation: 1031, visitor: JANE, frozen: true, since: 0 }],
      history: [{ conversation: 1019, visitor: VISITOR, ended_at: 0 }],
    });
    expect(screen.getByRole('tab', { name: 'In progress 1' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Messages pending 0' })).toBeTruthy();
    const panel = screen.getByRole('tabpanel');
    expect(panel.textContent).toContain('My invoice is wrong.');
    expect(panel.textContent).toContain('2');

    fireEvent.click(screen.getByRole('tab', { name: /Messages pending customers/ }));
    expect(screen.getByRole('tabpanel').textContent).toContain('Jane Doe');
    expect(screen.getByRole('tabpanel').textContent).toContain('Frozen');
  });

  it('picks a pending chat with the hand button, disabled with its reason when it cannot', async () => {
    const { backend, pool } = setup(<App />);
    pool({
      pending: [
        {
          conversation: 1050,
          visitor: JANE,
          queue: { id: 2, label: 'Billing' },
          waiting_since: 0,
          can_pick: true,
          reason: null,
        },
        {
          conversation: 1051,
          visitor: VISITOR,
          queue: { id: 3, label: 'Sales' },
          waiting_since: 0,
          can_pick: false,
          reason: 'not_a_member',
        },
      ],
    });
    fireEvent.click(screen.getByRole('tab', { name: /^Messages pending 2/ }));
    const blocked = screen.getByRole('button', { name: 'Pick v-7f3a9c' });
    expect(blocked).toHaveProperty('disabled', true);
    expect(blocked.getAttribute('title')).toBe('Not one of your queues');
    // The reason is on screen too, not only in a tooltip.
    const panel = screen.getByRole('tabpanel');
    expect(panel.textContent).toContain('Not one of your queues');
    expect(within(panel).getAllByRole('img', { name: 'Web chat' })).toHaveLength(2);
    expect(panel.textContent).toMatch(/waiting \d+:\d\d/);

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Pick Jane Doe' })));
    expect(backend.callsOf('pick')).toEqual([[1050]]);
    expect(screen.getByRole('region', { name: 'Conversation 1050' })).toBeTruthy();
  });

  it('says why a pick failed', async () => {
    const { backend, pool } = setup(<App />);
    backend.failures.set(
      'pick',
      new BackendError('not_pending', 'Conversation 1050 was picked by someone else.'),
    );
    pool({
      pending: [
        {
          conversation: 1050,
          visitor: JANE,
          queue: null,
          waiting_since: 0,
          can_pick: true,
          reason: null,
        },
      ],
    });
    fireEvent.click(screen.getByRole('tab', { name: /^Messages pending 1/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Pick Jane Doe' }));
    expect((await screen.findByRole('alert')).textContent).toContain('picked by someone else');
  });

  it('switches presence and shows the load against capacity and the link', async () => {
    const { backend, pool } = setup(<App />);
    pool({ presence: 'available', load: 2, capacity: 3 });
    expect(screen.getByText('Load 2/3')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Connected');
    await act(async () =>
      fireEvent.change(screen.getByLabelText('Presence'), { target: { value: 'away' } }),
    );
    expect(backend.callsOf('setPresence')).toEqual([['away']]);

    act(() => backend.setLink({ state: 'down', close_code: 1006 }));
    expect(screen.getByRole('status').textContent).toBe('Reconnecting…');
    act(() => backend.push({ type: 'presence', agent: 4, presence: 'away', at: 0 }));
    expect(screen.getByLabelText('Presence')).toHaveProperty('value', 'away');
  });

  it('searches history and shows matches highlighted, as text', async () => {
    const { backend, pool } = setup(<App />);
    pool({});
    backend.history = async (q: string) => {
      backend.calls.push({ method: 'history', args: [q] });
      return {
        hits: [
          {
            conversation: 1019,
            seq: 8,
            at: 0,
            snippet: 'my \u0002invoice\u0003 <b>from</b> March',
          },
        ],
      };
    };
    fireEvent.click(screen.getByRole('tab', { name: /History/ }));
    fireEvent.change(screen.getByLabelText('Search words'), { target: { value: 'invoice' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    const results = await screen.findByRole('list', { name: 'Search results' });
    await within(results).findByText('invoice');
    expect(results.querySelector('mark')?.textContent).toBe('invoice');
    expect(results.querySelector('b')).toBeNull();
    expect(results.textContent).toContain('<b>from</b>');
  });
});
