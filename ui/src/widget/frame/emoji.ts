// A small built-in emoji picker: a grid of common emoji, driven by mouse or
// keyboard (arrows move, Enter picks, Escape closes and returns focus).

import { h } from './dom';

const EMOJI =
  '😀 😄 😊 🙂 😉 😍 😘 😎 🤔 😐 😕 😢 😭 😡 😮 😴 👍 👎 👏 🙏 👋 💪 🤝 🎉 ❤️ 💔 ✅ ❌ ⭐ 🔥 💡 📎 📄 📅 ⏰ ☕ 🍀 🌞 🌧️ 🚀'.split(
    ' ',
  );

const COLUMNS = 8;

export class EmojiPicker {
  readonly el: HTMLDivElement;
  private buttons: HTMLButtonElement[] = [];

  constructor(
    label: string,
    private readonly pick: (emoji: string) => void,
    close: () => void,
  ) {
    this.el = h('div', { class: 'emoji', role: 'group', 'aria-label': label });
    this.el.hidden = true;
    this.el.addEventListener('keydown', (e) => {
      const at = this.buttons.indexOf(e.target as HTMLButtonElement);
      const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[
        e.key as string
      ];
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close();
      } else if (step && at >= 0) {
        e.preventDefault();
        this.focus(Math.max(0, Math.min(this.buttons.length - 1, at + step)));
      }
    });
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  show(on: boolean): void {
    if (on && !this.buttons.length) {
      // Built on first use: opening the chat does not pay for it.
      this.buttons = EMOJI.map((emoji, i) => {
        const b = h('button', { type: 'button', tabindex: i ? '-1' : '0' }, emoji);
        b.addEventListener('click', () => this.pick(emoji));
        return b;
      });
      this.el.append(...this.buttons);
    }
    this.el.hidden = !on;
    if (on) this.focus(0);
  }

  private focus(i: number): void {
    for (const [j, b] of this.buttons.entries()) b.tabIndex = i === j ? 0 : -1;
    this.buttons[i].focus();
  }
}
