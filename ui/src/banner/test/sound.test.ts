import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_AFTER_MS, playOfferTone } from '../components/sound';

/** A Web Audio context that never runs: its notes never end. */
class StalledAudioContext {
  static made = 0;
  static closed = 0;
  currentTime = 0;
  destination = {};
  constructor() {
    StalledAudioContext.made += 1;
  }
  resume() {
    return new Promise<void>(() => {});
  }
  close() {
    StalledAudioContext.closed += 1;
    return Promise.resolve();
  }
  createGain() {
    const param = { setValueAtTime() {}, exponentialRampToValueAtTime() {} };
    return { gain: param, connect: (to: unknown) => to };
  }
  createOscillator() {
    return {
      type: '',
      frequency: { value: 0 },
      onended: null,
      connect: (to: unknown) => to,
      start() {},
      stop() {},
    };
  }
}

describe("the offer tone's audio context", () => {
  beforeEach(() => {
    StalledAudioContext.made = 0;
    StalledAudioContext.closed = 0;
    vi.useFakeTimers();
    vi.stubGlobal('AudioContext', StalledAudioContext);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('is closed after the tone even when its notes never end', () => {
    expect(playOfferTone()).toBe(true);
    expect(playOfferTone()).toBe(true);
    expect(StalledAudioContext.made).toBe(2);
    vi.advanceTimersByTime(CLOSE_AFTER_MS - 1);
    expect(StalledAudioContext.closed).toBe(0);
    vi.advanceTimersByTime(1);
    expect(StalledAudioContext.closed).toBe(2);
  });
});
