// The conversation as the visitor sees it: messages (the visitor's own, an
// agent's, smart routing's, the system's) and status lines, kept in `seq`
// order whatever order they arrive in (history pages, replays, live frames),
// each once. The visitor's messages show their state: sending, sent,
// ✓ delivered, ✓✓ read.

import type { Attachment, ChoiceOption, VisitorAuthor } from '../../protocol';
import { h } from './dom';
import type { Strings } from './i18n';

/** What a row of the timeline can ask for. */
export interface TimelineHooks {
  /** A choice menu's button was pressed. */
  choose(label: string): void;
  /** Show this image attachment in `img`. */
  preview(attachment: Attachment, img: HTMLImageElement): void;
  /** Save this attachment. */
  save(attachment: Attachment): void;
}

/** `HH:MM`, local time. (Not Intl: its first use costs ~30 ms of main thread.) */
function clock(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes()].map((n) => String(n).padStart(2, '0')).join(':');
}

type Status = 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

interface Row {
  /** Its place in the log; pending messages sort last. */
  seq: number;
  el: HTMLLIElement;
  /** The visitor's own message. */
  mine: boolean;
  /** A message by someone else (it can be unread). */
  theirs: boolean;
  text?: string;
  attachments?: number[];
  choices?: HTMLElement;
}

export class Timeline {
  readonly el: HTMLOListElement;
  private rows: Row[] = [];
  private readonly pending = new Map<string, Row>();
  private delivered = 0;
  private read = 0;
  constructor(
    private readonly t: Strings,
    private readonly hooks: TimelineHooks,
  ) {
    this.el = h('ol', { class: 'log', 'aria-label': t.messages });
  }

  clear(): void {
    this.rows = [];
    this.pending.clear();
    this.delivered = this.read = 0;
    this.el.replaceChildren();
  }

  has(seq: number): boolean {
    return this.rows.some((r) => r.seq === seq);
  }

  /** A message of the log. The visitor's own adopts its pending row, if any. */
  message(
    seq: number,
    at: number,
    author: VisitorAuthor,
    text: string,
    choices: ChoiceOption[],
    attachments: Attachment[],
  ): void {
    if (this.has(seq)) return;
    const mine = author.type === 'visitor';
    const ids = attachments.map((a) => a.id);
    if (mine) {
      for (const [id, row] of this.pending) {
        if (row.text === text && String(row.attachments) === String(ids)) {
          this.pending.delete(id);
          this.place(row, seq);
          this.status(row, 'sent');
          return;
        }
      }
    }
    const row = this.build(mine, author, text, attachments, at);
    row.theirs = !mine;
    if (choices.length) {
      row.choices = h('div', { class: 'choices', role: 'group', 'aria-label': text });
      for (const choice of choices) {
        const button = h('button', { type: 'button' }, choice.label);
        button.addEventListener('click', () => this.hooks.choose(choice.label));
        row.choices.append(button);
      }
      row.el.append(row.choices);
    }
    this.place(row, seq);
    if (mine) this.status(row, 'sent');
  }

  /** A status line of the log (queued, joined, ended…). */
  system(seq: number, text: string, divider = false): void {
    if (this.has(seq)) return;
    const el = h('li', { class: divider ? 'sys divider' : 'sys' }, text);
    this.place({ seq, el, mine: false, theirs: false }, seq);
  }

  /** The visitor's message, shown at once, before the server has it. */
  sending(id: string, text: string, attachments: Attachment[]): void {
    const row = this.build(true, { type: 'visitor' }, text, attachments, Date.now());
    this.pending.set(id, row);
    this.place(row, Number.POSITIVE_INFINITY);
    this.status(row, 'sending');
  }

  /** The server acknowledged message `id` as event `seq`. */
  confirm(id: string, seq: number | null): void {
    const row = this.pending.get(id);
    if (!row) return;
    this.pending.delete(id);
    if (seq === null || this.has(seq)) {
      row.el.remove();
      this.rows = this.rows.filter((r) => r !== row);
      return;
    }
    this.place(row, seq);
    this.status(row, 'sent');
  }

  /** The server refused message `id`. */
  fail(id: string, reason: string): void {
    const row = this.pending.get(id);
    if (!row) return;
    this.pending.delete(id);
    this.status(row, 'failed', reason);
  }

  /** The agents' side got (`delivered`) or showed (`read`) messages up to `upTo`. */
  receipt(kind: 'delivered' | 'read', upTo: number): void {
    if (kind === 'read') this.read = Math.max(this.read, upTo);
    this.delivered = Math.max(this.delivered, upTo, this.read);
    for (const row of this.rows) if (row.mine && Number.isFinite(row.seq)) this.status(row, 'sent');
  }

  /** How many messages by others come after `seq`. */
  unreadAfter(seq: number): number {
    return this.rows.filter((r) => r.theirs && r.seq > seq).length;
  }

  /** The last `seq` of a message by someone else, or 0. */
  lastTheirs(): number {
    let last = 0;
    for (const r of this.rows) if (r.theirs && r.seq > last) last = r.seq;
    return last;
  }

  private build(
    mine: boolean,
    author: VisitorAuthor,
    text: string,
    attachments: Attachment[],
    at: number,
  ): Row {
    const kind = author.type === 'smart_routing' ? 'bot' : author.type;
    const who =
      author.type === 'agent'
        ? author.name
        : author.type === 'smart_routing'
          ? this.t.assistant
          : author.type === 'visitor'
            ? this.t.you
            : '';
    const bubble = h('div', { class: 'bubble' }, text ? h('p', { class: 'text' }, text) : null);
    for (const a of attachments) bubble.append(this.attachment(a));
    const el = h(
      'li',
      { class: `msg ${kind}` },
      h('span', { class: mine ? 'who sr' : 'who' }, who),
      bubble,
      h('div', { class: 'meta' }, h('time', { datetime: new Date(at).toISOString() }, clock(at))),
    );
    return { seq: 0, el, mine, theirs: false, text, attachments: attachments.map((a) => a.id) };
  }

  private attachment(a: Attachment): HTMLElement {
    if (a.media_type.startsWith('image/')) {
      const img = h('img', { alt: a.filename });
      this.hooks.preview(a, img);
      return h('figure', { class: 'att' }, img, h('figcaption', null, a.filename));
    }
    const size =
      a.size >= 1e6 ? `${(a.size / 1e6).toFixed(1)} MB` : `${Math.ceil(a.size / 1e3)} kB`;
    const button = h(
      'button',
      { type: 'button', class: 'file', 'aria-label': this.t.download(a.filename) },
      `📄 ${a.filename} · ${size}`,
    );
    button.addEventListener('click', () => this.hooks.save(a));
    return button;
  }

  /** Puts `row` at `seq`'s place in the list. */
  private place(row: Row, seq: number): void {
    this.rows = this.rows.filter((r) => r !== row);
    row.seq = seq;
    if (Number.isFinite(seq)) row.el.dataset.seq = String(seq);
    const next = this.rows.findIndex((r) => r.seq > seq);
    if (next < 0) {
      this.rows.push(row);
      this.el.append(row.el);
    } else {
      this.rows.splice(next, 0, row);
      this.el.insertBefore(row.el, this.rows[next + 1].el);
    }
    // Only the latest message's menu can still be answered.
    const last = this.rows[this.rows.length - 1];
    for (const r of this.rows) if (r.choices) r.choices.hidden = r !== last;
  }

  private status(row: Row, status: Status, reason?: string): void {
    if (status === 'sent' && row.seq <= this.read) status = 'read';
    else if (status === 'sent' && row.seq <= this.delivered) status = 'delivered';
    if (row.el.dataset.status === status) return;
    row.el.dataset.status = status;
    const meta = row.el.querySelector('.meta');
    meta?.querySelector('.status')?.remove();
    const label = {
      sending: this.t.sending,
      sent: this.t.sent,
      delivered: this.t.delivered,
      read: this.t.read,
      failed: reason ? `${this.t.notSent}: ${reason}` : this.t.notSent,
    }[status];
    // Marks for the eye, words for screen readers; a failure is spelled out for both.
    const mark = { sending: '…', sent: '', delivered: '✓', read: '✓✓', failed: label }[status];
    meta?.append(
      h(
        'span',
        { class: `status ${status}`, title: label },
        status === 'failed' ? mark : h('span', { 'aria-hidden': 'true' }, mark),
        status === 'failed' ? null : h('span', { class: 'sr' }, label),
      ),
    );
  }
}
