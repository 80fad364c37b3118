// The frame's page: a header (title, end chat, close), the connection state,
// the timeline, who is typing, the ended state, notices, uploads in progress,
// and the composer. New messages by others are announced to screen readers
// through a polite live region.

import { Composer, type ComposerEvents } from './composer';
import { h, icon } from './dom';
import type { Strings } from './i18n';
import { Timeline, type TimelineHooks } from './timeline';

export interface ViewEvents extends ComposerEvents, TimelineHooks {
  close(): void;
  leave(): void;
  startNew(): void;
  retry(): void;
}

export type Connection = 'connecting' | 'online' | 'offline' | 'failed';

/** An upload's row while it goes. */
export interface UploadRow {
  progress(fraction: number): void;
  done(): void;
}

const CROSS =
  'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z';

export class View {
  readonly timeline: Timeline;
  readonly composer: Composer;
  private readonly connection: HTMLDivElement;
  private readonly typing: HTMLDivElement;
  private readonly ended: HTMLDivElement;
  private readonly notices: HTMLDivElement;
  private readonly uploads: HTMLUListElement;
  private readonly announcer: HTMLDivElement;
  private readonly leave: HTMLButtonElement;
  private readonly scroller: HTMLDivElement;

  constructor(
    private readonly t: Strings,
    on: ViewEvents,
  ) {
    this.timeline = new Timeline(t, on);
    this.composer = new Composer(t, on);
    this.leave = h('button', { type: 'button', class: 'leave' }, t.leave);
    this.leave.hidden = true;
    this.leave.addEventListener('click', () => on.leave());
    const close = h(
      'button',
      { type: 'button', class: 'icon', 'aria-label': t.close },
      icon(CROSS),
    );
    close.addEventListener('click', () => on.close());
    this.connection = h('div', { class: 'connection', role: 'status' });
    this.typing = h('div', { class: 'typing', 'aria-live': 'polite' });
    const startNew = h('button', { type: 'button' }, t.startNew);
    startNew.addEventListener('click', () => on.startNew());
    this.ended = h('div', { class: 'ended' }, h('p', null, t.ended), startNew);
    this.ended.hidden = true;
    this.notices = h('div', { class: 'notices', role: 'alert' });
    this.uploads = h('ul', { class: 'uploads' });
    this.announcer = h('div', { class: 'sr', 'aria-live': 'polite' });
    this.scroller = h('div', { class: 'scroll' }, this.timeline.el, this.ended);
    document.body.append(
      h(
        'main',
        { class: 'chat' },
        h('header', null, h('h1', null, t.title), this.leave, close),
        this.connection,
        this.scroller,
        this.typing,
        this.notices,
        this.uploads,
        this.composer.el,
        this.announcer,
      ),
    );
    // Escape closes the chat (the emoji picker handles its own first).
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.defaultPrevented) on.close();
    });
    this.notices.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).dataset.retry) on.retry();
    });
  }

  setConnection(state: Connection): void {
    this.connection.dataset.state = state;
    this.connection.textContent =
      state === 'online'
        ? ''
        : state === 'connecting'
          ? this.t.connecting
          : state === 'offline'
            ? this.t.reconnecting
            : this.t.failed;
  }

  /** Who is typing, or null. */
  setTyping(name: string | null): void {
    this.typing.textContent = name ? this.t.typing(name) : '';
  }

  setEnded(on: boolean): void {
    this.ended.hidden = !on;
    this.composer.enable(!on);
    if (on) this.scrollDown(true);
  }

  showLeave(on: boolean): void {
    this.leave.hidden = !on;
  }

  /** A message for the visitor until the next one (or `clearNotice`). */
  notice(text: string, retry = false): void {
    const p = h('p', null, text);
    if (retry) {
      const button = h('button', { type: 'button', 'data-retry': '1' }, this.t.retry);
      p.append(' ', button);
    }
    this.notices.replaceChildren(p);
  }

  clearNotice(): void {
    this.notices.replaceChildren();
  }

  /** Reads `text` out to screen readers. */
  announce(text: string): void {
    this.announcer.append(h('p', null, text));
    while (this.announcer.childElementCount > 3) this.announcer.firstElementChild?.remove();
  }

  upload(name: string): UploadRow {
    const bar = h('progress', { max: '100', value: '0' });
    const row = h('li', null, h('span', null, this.t.uploading(name)), bar);
    this.uploads.append(row);
    return {
      progress: (f) => {
        bar.value = Math.round(f * 100);
      },
      done: () => row.remove(),
    };
  }

  /**
   * Keeps the newest message in sight, unless the visitor scrolled up to read.
   * In the next frame, where layout happens anyway, rather than forcing it now.
   */
  scrollDown(force = false): void {
    requestAnimationFrame(() => {
      const s = this.scroller;
      if (force || s.scrollHeight - s.scrollTop - s.clientHeight < 160)
        s.scrollTop = s.scrollHeight;
    });
  }
}
