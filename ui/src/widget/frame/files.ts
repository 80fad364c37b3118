// Attachments in the frame: uploads (raw body, progress from XHR upload
// events, a clear message when refused for type or size), and image previews
// and downloads fetched with the token into object URLs (`<img src>` cannot
// carry the Authorization header, and the token never goes in a URL).

import type { Attachment } from '../../protocol';
import { MAX_UPLOAD_BYTES } from '../../protocol';
import * as api from './api';
import { h } from './dom';
import type { Strings } from './i18n';
import type { View } from './view';

export class Files {
  private urls: string[] = [];

  constructor(
    private readonly t: Strings,
    private readonly view: View,
    private readonly token: () => string | null,
  ) {}

  /** Uploads each file to `conversation`, then hands its record to `send`. */
  async upload(
    files: File[],
    conversation: () => number | null,
    send: (attachment: Attachment) => void,
  ): Promise<void> {
    const max = this.t.mb(MAX_UPLOAD_BYTES / 1048576);
    for (const file of files) {
      const token = this.token();
      const c = conversation();
      if (!token || c === null) return;
      if (file.size > MAX_UPLOAD_BYTES) {
        this.view.notice(this.t.tooLarge(file.name, max));
        continue;
      }
      const row = this.view.upload(file.name);
      try {
        const attachment = await api.upload(token, c, file, (f) => row.progress(f));
        this.view.clearNotice();
        send(attachment);
      } catch (e) {
        const code = e instanceof api.ApiError ? e.code : '';
        this.view.notice(
          code === 'unsupported_media_type'
            ? this.t.badType(file.name)
            : code === 'too_large'
              ? this.t.tooLarge(file.name, max)
              : this.t.uploadFailed(file.name, (e as Error).message),
        );
      } finally {
        row.done();
      }
    }
  }

  /** Shows an image attachment in `img`. */
  preview(a: Attachment, img: HTMLImageElement): void {
    void this.objectUrl(a).then((url) => {
      if (url) img.src = url;
    });
  }

  /** Saves an attachment as a download. */
  save(a: Attachment): void {
    void this.objectUrl(a).then((url) => {
      if (url) h('a', { href: url, download: a.filename }).click();
    });
  }

  /** Frees the object URLs made so far (the conversation shown changed). */
  revoke(): void {
    for (const url of this.urls.splice(0)) URL.revokeObjectURL(url);
  }

  private async objectUrl(a: Attachment): Promise<string | null> {
    const token = this.token();
    if (!token) return null;
    try {
      const url = URL.createObjectURL(await api.download(token, a.id));
      this.urls.push(url);
      return url;
    } catch {
      return null;
    }
  }
}
