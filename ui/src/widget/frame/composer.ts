// Where the visitor writes: a text area (Enter sends, Shift+Enter starts a
// new line), the emoji picker, the attach button and the send button.

import { MAX_TEXT_CHARS } from '../../protocol';
import { h, icon } from './dom';
import { EmojiPicker } from './emoji';
import type { Strings } from './i18n';

export interface ComposerEvents {
  send(text: string): void;
  /** The text changed (for the typing indicator). */
  input(text: string): void;
  files(files: File[]): void;
}

const PAPERCLIP =
  'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9V15.5a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z';
const ARROW = 'M3 20.5 21 12 3 3.5v6.6l12.9 1.9L3 13.9z';
// A drawn smiley: an emoji glyph here would load the emoji font on open.
const SMILEY =
  'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zM8.5 11a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm7 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM12 17.5c2.3 0 4.3-1.5 5-3.5H7c.7 2 2.7 3.5 5 3.5z';

export class Composer {
  readonly el: HTMLDivElement;
  readonly text: HTMLTextAreaElement;
  private readonly attach: HTMLButtonElement;
  private readonly controls: HTMLButtonElement[];
  private readonly picker: EmojiPicker;
  private readonly emojiButton: HTMLButtonElement;

  constructor(
    private readonly t: Strings,
    private readonly on: ComposerEvents,
  ) {
    this.text = h('textarea', {
      rows: '1',
      maxlength: String(MAX_TEXT_CHARS),
      'aria-label': t.message,
      placeholder: t.placeholder,
    });
    const file = h('input', { type: 'file', multiple: '', hidden: '', tabindex: '-1' });
    this.emojiButton = h(
      'button',
      { type: 'button', class: 'icon', 'aria-label': t.emoji, 'aria-expanded': 'false' },
      icon(SMILEY),
    );
    this.attach = h(
      'button',
      { type: 'button', class: 'icon', 'aria-label': t.attach },
      icon(PAPERCLIP),
    );
    const send = h(
      'button',
      { type: 'button', class: 'icon send', 'aria-label': t.send },
      icon(ARROW),
    );
    this.controls = [this.emojiButton, this.attach, send];
    this.picker = new EmojiPicker(
      t.emoji,
      (emoji) => {
        this.insert(emoji);
        this.showPicker(false);
      },
      () => this.showPicker(false),
    );
    this.el = h(
      'div',
      { class: 'composer' },
      this.picker.el,
      h('div', { class: 'row' }, this.emojiButton, this.attach, this.text, send, file),
    );

    this.emojiButton.addEventListener('click', () => this.showPicker(!this.picker.open));
    this.attach.addEventListener('click', () => {
      if (this.attach.getAttribute('aria-disabled') !== 'true') file.click();
    });
    file.addEventListener('change', () => {
      const files = [...(file.files ?? [])];
      file.value = '';
      if (files.length) this.on.files(files);
    });
    send.addEventListener('click', () => this.submit());
    this.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.text.addEventListener('input', () => {
      this.fit();
      this.on.input(this.text.value);
    });
  }

  /** Off while the chat has ended (until a new one starts). */
  enable(on: boolean): void {
    this.text.disabled = !on;
    for (const b of this.controls) b.disabled = !on;
  }

  /** Files need a conversation to go to. */
  canAttach(on: boolean): void {
    this.attach.setAttribute('aria-disabled', String(!on));
    this.attach.title = on ? this.t.attach : this.t.attachLater;
  }

  focus(): void {
    this.text.focus();
  }

  private submit(): void {
    const text = this.text.value.trim();
    if (!text || this.text.disabled) return;
    this.text.value = '';
    this.fit();
    this.on.send(text);
    this.on.input('');
  }

  private insert(emoji: string): void {
    const { selectionStart: a, selectionEnd: b, value } = this.text;
    this.text.value = value.slice(0, a) + emoji + value.slice(b);
    this.text.selectionStart = this.text.selectionEnd = a + emoji.length;
    this.on.input(this.text.value);
  }

  private showPicker(on: boolean): void {
    this.picker.show(on);
    this.emojiButton.setAttribute('aria-expanded', String(on));
    if (!on) this.text.focus();
  }

  /** Grows the text area with its text, up to the style's max-height. */
  private fit(): void {
    this.text.style.height = 'auto';
    this.text.style.height = `${this.text.scrollHeight}px`;
  }
}
