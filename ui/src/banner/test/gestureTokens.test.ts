// The asks for a window that let WebKitGTK drop its record of keys and clicks.
import { describe, expect, it, vi } from 'vitest';
import { GESTURES_PER_ASK, shedGestureTokens } from '../gestureTokens';

function page() {
  const open = vi.fn(() => null);
  return {
    open,
    addEventListener: window.addEventListener.bind(window),
    removeEventListener: window.removeEventListener.bind(window),
  };
}

function press(target: HTMLElement, key: string) {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
}

describe('gesture tokens', () => {
  it('asks for a refused window at every so many key presses and clicks', () => {
    const main = page();
    const stop = shedGestureTokens(main);
    const text = document.createElement('textarea');
    const button = document.createElement('button');
    document.body.append(text, button);
    for (let i = 0; i < GESTURES_PER_ASK - 2; i++) {
      press(text, 'x');
    }
    button.click();
    expect(main.open).not.toHaveBeenCalled();
    press(text, 'Enter');
    expect(main.open).toHaveBeenCalledTimes(1);
    expect(main.open).toHaveBeenCalledWith('about:blank', '_blank', 'noopener');
    for (let i = 0; i < GESTURES_PER_ASK; i++) {
      button.click();
    }
    expect(main.open).toHaveBeenCalledTimes(2);
    stop();
    for (let i = 0; i < GESTURES_PER_ASK; i++) {
      press(text, 'z');
    }
    expect(main.open).toHaveBeenCalledTimes(2);
  });

  it('asks at each gesture in the popup', () => {
    const popup = page();
    const stop = shedGestureTokens(popup, 1);
    const button = document.createElement('button');
    document.body.append(button);
    button.click();
    press(button, 'Enter');
    expect(popup.open).toHaveBeenCalledTimes(2);
    stop();
    button.click();
    expect(popup.open).toHaveBeenCalledTimes(2);
  });
});
