// Typing, both ways (docs/protocol.md §5). The visitor's: `on` when typing
// starts and again at most every 3 s while it goes on, `off` once it stops
// (no keystroke for a while, or the text emptied); sending the message ends it
// without an `off` (protocol §5: a message ends its author's typing). The
// agent's indicator: shown on `on`, gone on `off`, or by itself after 6 s
// without renewal.

import { TYPING_EXPIRES_MS, TYPING_REPEAT_MS } from '../../protocol';

/** The visitor stopped typing after this long without a keystroke. */
const IDLE_MS = 2500;

export class Typing {
  private on = false;
  private sentAt = 0;
  private idle: ReturnType<typeof setTimeout> | undefined;
  private expiry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Sends the visitor's `typing`; false when it cannot be sent now. */
    private readonly send: (on: boolean) => boolean,
    /** Shows who of the agents is typing, or nobody. */
    private readonly show: (name: string | null) => void,
  ) {}

  /** The visitor's text changed. */
  input(text: string): void {
    clearTimeout(this.idle);
    if (!text.trim()) {
      this.stop();
      return;
    }
    const now = Date.now();
    if ((!this.on || now - this.sentAt >= TYPING_REPEAT_MS) && this.send(true)) {
      this.on = true;
      this.sentAt = now;
    }
    this.idle = setTimeout(() => this.stop(), IDLE_MS);
  }

  /** The visitor stopped (or sent the message). */
  stop(): void {
    clearTimeout(this.idle);
    if (this.on) this.send(false);
    this.on = false;
  }

  /** The visitor sent the message: receivers end the indicator on it, no `off` needed. */
  sent(): void {
    clearTimeout(this.idle);
    this.on = false;
  }

  /** An agent is typing (`name`) or stopped (`null`). */
  agent(name: string | null): void {
    clearTimeout(this.expiry);
    this.show(name);
    if (name) this.expiry = setTimeout(() => this.show(null), TYPING_EXPIRES_MS);
  }
}
