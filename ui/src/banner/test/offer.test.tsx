import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Offer } from '../../protocol';
import { App } from '../components/App';
import { secondsLeft } from '../components/OfferPopup';
import { JANE, setup, VISITOR } from './render';

const NOW = 1_763_712_000_000;

function offer(kind: Offer['kind'], conversation: number): Offer {
  return {
    conversation,
    agent: { id: 4, name: 'Ada' },
    kind,
    queue: kind === 'smart' ? { id: 2, label: 'Billing' } : null,
    visitor: kind === 'smart' ? VISITOR : JANE,
    waiting_since: NOW,
    transfer: null,
    phase: 'ringing',
    deadline: NOW + 30_000,
    script_first_node: null,
    returning: false,
  };
}

describe('the incoming popup', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is raspberry red for smart routing and ocean blue for direct routing', () => {
    const { pool } = setup(<App />);
    pool({ offers: [offer('smart', 1042), offer('direct', 1050)] });
    const smart = screen.getByRole('alertdialog', { name: 'Smart routing chat from v-7f3a9c' });
    const direct = screen.getByRole('alertdialog', { name: 'Direct chat from Jane Doe' });
    expect(smart.className).toBe('offer offer-smart');
    expect(direct.className).toBe('offer offer-direct');
  });

  it('counts down to its deadline', () => {
    const { pool } = setup(<App />);
    pool({ offers: [offer('smart', 1042)] });
    expect(screen.getByRole('timer').textContent).toBe('30');
    act(() => vi.advanceTimersByTime(10_000));
    expect(screen.getByRole('timer').textContent).toBe('20');
  });

  it("corrects the countdown with the server's clock", () => {
    expect(secondsLeft(NOW + 30_000, NOW, 0)).toBe(30);
    expect(secondsLeft(NOW + 30_000, NOW, 5_000)).toBe(25);
    expect(secondsLeft(NOW, NOW + 1_000, 0)).toBe(0);
  });

  it('accepts (opening the chat) or declines', async () => {
    const { backend, pool } = setup(<App />);
    pool({ offers: [offer('smart', 1042), offer('direct', 1050)] });
    await act(async () =>
      fireEvent.click(screen.getAllByRole('button', { name: 'Accept' })[0] as HTMLElement),
    );
    expect(backend.callsOf('accept')).toEqual([[1042]]);
    expect(screen.getByRole('region', { name: 'Conversation 1042' })).toBeTruthy();
    await act(async () =>
      fireEvent.click(screen.getAllByRole('button', { name: 'Decline' })[1] as HTMLElement),
    );
    expect(backend.callsOf('decline')).toEqual([[1050]]);
    pool({ offers: [] });
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});
