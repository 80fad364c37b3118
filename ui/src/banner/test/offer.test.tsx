import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Offer } from '../../protocol';
import { App } from '../components/App';
import { routingColour, secondsLeft } from '../components/OfferPopup';
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

  it('takes its colour from the offer frame: a site entering straight into a queue is smart', () => {
    // What the server sends for pk_desk-like sites (entry: queue Billing):
    // routed through a queue, so `kind: smart` and raspberry red.
    const { pool } = setup(<App />);
    pool({ offers: [offer('smart', 1042), offer('direct', 1050)] });
    const smart = screen.getByRole('alertdialog', { name: /^Smart routing/ });
    const direct = screen.getByRole('alertdialog', { name: /^Direct/ });
    expect(smart.dataset.colour).toBe('raspberry');
    expect(smart.querySelector('header')?.textContent).toBe('Incoming Smart messaging interaction');
    expect(direct.dataset.colour).toBe('ocean');
    expect(direct.querySelector('header')?.textContent).toBe(
      'Incoming Direct messaging interaction',
    );
    expect([routingColour('smart'), routingColour('direct')]).toEqual(['raspberry', 'ocean']);
  });

  it('says where the chat comes from, its queue, wait, transfer and script', () => {
    const { pool } = setup(<App />);
    const transferred: Offer = {
      ...offer('smart', 1042),
      waiting_since: NOW - 125_000,
      transfer: { from: { id: 5, name: 'Bob' }, mode: 'attended' },
      script_first_node: 'Greet the customer by name.',
      phase: 'preview',
    };
    pool({ offers: [transferred, offer('direct', 1050)] });
    const [smart, direct] = screen.getAllByRole('alertdialog') as [HTMLElement, HTMLElement];
    const fields = (card: HTMLElement) =>
      Object.fromEntries(
        [...card.querySelectorAll('dt')].map((dt) => [
          dt.textContent,
          dt.nextElementSibling?.textContent,
        ]),
      );
    expect(smart.querySelector('.phase')?.textContent).toBe('In preview');
    expect(fields(smart)).toEqual({
      Origin: 'Web chat, anonymous visitor, fr-FR',
      Queue: 'Billing',
      Waiting: '2:05',
      Transfer: 'from Bob (attended)',
      Script: 'Greet the customer by name.',
    });
    expect(fields(direct)).toMatchObject({
      Origin: 'Web chat, customer Jane Doe (logged in)',
      Queue: 'None: routed to you',
      Waiting: '0:00',
    });
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

/** Records the notes the popup's tone plays, in place of Web Audio. */
class FakeAudioContext {
  static notes: number[] = [];
  currentTime = 0;
  destination = {};
  resume() {
    return Promise.resolve();
  }
  close() {
    return Promise.resolve();
  }
  createGain() {
    const param = { setValueAtTime() {}, exponentialRampToValueAtTime() {} };
    return { gain: param, connect: (to: unknown) => to };
  }
  createOscillator() {
    const oscillator = {
      type: '',
      frequency: { value: 0 },
      onended: null,
      connect: (to: unknown) => to,
      start: () => FakeAudioContext.notes.push(oscillator.frequency.value),
      stop() {},
    };
    return oscillator;
  }
}

describe("the incoming popup's sound", () => {
  beforeEach(() => {
    FakeAudioContext.notes = [];
    vi.stubGlobal('AudioContext', FakeAudioContext);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('plays a short tone once when an offer starts ringing', async () => {
    const { pool } = setup(<App />);
    await act(async () => pool({ offers: [offer('smart', 1042)] }));
    expect(FakeAudioContext.notes).toEqual([880, 1175]);
    // The same offer again (a countdown phase change, a new snapshot): silent.
    await act(async () => pool({ offers: [offer('smart', 1042)] }));
    expect(FakeAudioContext.notes).toHaveLength(2);
    await act(async () => pool({ offers: [offer('smart', 1042), offer('direct', 1050)] }));
    expect(FakeAudioContext.notes).toHaveLength(4);
  });

  it('stays silent when muted in the notification settings', async () => {
    const { pool, backend } = setup(<App />, {
      prepare: (b) => {
        b.prefs = { ...b.prefs, popup_sound: false };
      },
    });
    await act(async () => pool({ offers: [offer('direct', 1050)] }));
    expect(backend.callsOf('notificationPrefs')).toHaveLength(1);
    expect(FakeAudioContext.notes).toEqual([]);
  });
});
