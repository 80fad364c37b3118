// The notification settings page: five switches and the popup's sound, each
// change saved at once through the backend.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFS } from '../backend/types';
import { App } from '../components/App';
import { KINDS } from '../components/NotificationSettingsPage';
import { setup } from './render';

async function openSettings() {
  await act(async () =>
    fireEvent.click(screen.getByRole('button', { name: 'Notification settings' })),
  );
  return screen.findByRole('region', { name: 'Notification settings' });
}

describe('the notification settings page', () => {
  it('shows one switch per kind, as saved', async () => {
    setup(<App />, {
      prepare: (b) => {
        b.prefs = { kinds: { ...DEFAULT_PREFS.kinds, messaging_ended: false }, popup_sound: false };
      },
    });
    await openSettings();
    expect(KINDS).toHaveLength(5);
    for (const { kind, label } of KINDS) {
      const box = screen.getByRole('checkbox', { name: label });
      expect([kind, (box as HTMLInputElement).checked]).toEqual([kind, kind !== 'messaging_ended']);
    }
    expect(screen.getByRole('checkbox', { name: 'Play a sound when a chat rings' })).toHaveProperty(
      'checked',
      false,
    );
  });

  it('saves a switched kind and the mute at once', async () => {
    const { backend } = setup(<App />);
    await openSettings();
    await act(async () =>
      fireEvent.click(screen.getByRole('checkbox', { name: 'A chat leaves a queue I monitor' })),
    );
    expect(backend.prefs.kinds.message_exits_queue).toBe(false);
    expect(backend.prefs.kinds.message_arrives).toBe(true);
    expect(screen.getByText('Saved.')).toBeTruthy();
    await act(async () =>
      fireEvent.click(screen.getByRole('checkbox', { name: 'Play a sound when a chat rings' })),
    );
    expect(backend.callsOf('setNotificationPrefs')).toHaveLength(2);
    expect(backend.prefs).toEqual({
      kinds: { ...DEFAULT_PREFS.kinds, message_exits_queue: false },
      popup_sound: false,
    });
  });

  it("shows the backend's refusal", async () => {
    const { backend } = setup(<App />);
    await openSettings();
    const { BackendError } = await import('../backend/types');
    backend.failures.set('setNotificationPrefs', new BackendError('app', 'Disk full.'));
    await act(async () =>
      fireEvent.click(screen.getByRole('checkbox', { name: 'A visitor ends one of my chats' })),
    );
    expect(screen.getByRole('alert').textContent).toBe('Disk full.');
  });
});
