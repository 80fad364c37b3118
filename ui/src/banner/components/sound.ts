// The incoming popup's tone: two short notes made with Web Audio at the
// moment they play, so the app ships and downloads no sound file. Where
// there is no Web Audio (tests, old webviews) it stays silent.

/** A5 then D6: short, rising, distinct from a message ping. */
const NOTES = [880, 1175];
const NOTE_SECONDS = 0.12;
const VOLUME = 0.2;
/**
 * When the tone's context is closed, counted from its start: the notes and
 * a margin. A timer, not the last note's `ended` event: a context that never
 * runs (no audio device, or held suspended by the autoplay policy) never
 * ends its notes, and would keep itself and what the audio engine holds for
 * it for the rest of the page's life — one more each time an offer rings.
 */
export const CLOSE_AFTER_MS = Math.ceil((NOTES.length * NOTE_SECONDS + 0.5) * 1000);

type AudioContextClass = new () => AudioContext;

function audioContextClass(): AudioContextClass | null {
  const scope = globalThis as {
    AudioContext?: AudioContextClass;
    webkitAudioContext?: AudioContextClass;
  };
  return scope.AudioContext ?? scope.webkitAudioContext ?? null;
}

/** Plays the tone; answers whether it could. */
export function playOfferTone(): boolean {
  const Context = audioContextClass();
  if (!Context) {
    return false;
  }
  try {
    const context = new Context();
    // A context made outside a click may start suspended.
    context.resume().catch(() => {});
    const start = context.currentTime;
    NOTES.forEach((frequency, i) => {
      const at = start + i * NOTE_SECONDS;
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      // A quick fade in and out: no click at either end of the note.
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(VOLUME, at + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + NOTE_SECONDS);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + NOTE_SECONDS);
    });
    setTimeout(() => {
      context.close().catch(() => {});
    }, CLOSE_AFTER_MS);
    return true;
  } catch {
    return false;
  }
}
