import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentEvent, Attachment, Logged } from '../../protocol';
import { PREVIEW_MAX_BYTES, previewKind, sizeText } from '../components/AttachmentView';
import { Composer } from '../components/Composer';
import { insertAt } from '../components/EmojiPicker';
import { MessageList } from '../components/MessageList';
import { message, setup } from './render';

function file(id: number, filename: string, media_type: string, size = 2048): Attachment {
  return { id, conversation: 1042, filename, media_type, size, created_at: 0 };
}

function withFiles(files: Attachment[]): Logged<AgentEvent>[] {
  const m = message(3, { type: 'visitor' }, 'Here you go');
  if (m.event.type === 'message') {
    m.event.attachments = files;
  }
  return [m];
}

describe('attachments in a message', () => {
  let made = 0;
  const revoked: string[] = [];
  beforeEach(() => {
    made = 0;
    revoked.length = 0;
    URL.createObjectURL = () => `blob:test/${++made}`;
    URL.revokeObjectURL = (url: string) => {
      revoked.push(url);
    };
  });
  afterEach(() => vi.restoreAllMocks());

  it('previews images, video and audio by their sniffed type; documents are saved', () => {
    expect(previewKind(file(1, 'a.png', 'image/png'))).toBe('image');
    expect(previewKind(file(2, 'a.webm', 'video/webm'))).toBe('video');
    expect(previewKind(file(3, 'a.ogg', 'audio/ogg'))).toBe('audio');
    expect(previewKind(file(4, 'a.pdf', 'application/pdf'))).toBeNull();
    expect(previewKind(file(5, 'huge.png', 'image/png', PREVIEW_MAX_BYTES + 1))).toBeNull();
    expect([sizeText(900), sizeText(2048), sizeText(3 * 1024 * 1024)]).toEqual([
      '900 B',
      '2 KB',
      '3.0 MB',
    ]);
  });

  it('shows an image in place and releases it when the message goes', async () => {
    const { backend, view } = setup(
      <MessageList
        log={withFiles([
          file(7, 'receipt.png', 'image/png'),
          file(8, 'invoice.pdf', 'application/pdf'),
        ])}
      />,
    );
    const image = await screen.findByRole('img', { name: 'receipt.png' });
    expect(image.getAttribute('src')).toBe('blob:test/1');
    // The document is not fetched until asked for.
    expect(backend.callsOf('download')).toEqual([[7]]);
    expect(screen.getByRole('button', { name: /invoice\.pdf/ }).textContent).toContain('📄');
    view.unmount();
    expect(revoked).toEqual(['blob:test/1']);
  });

  it('saves a document when its button is pressed', async () => {
    const { backend } = setup(
      <MessageList log={withFiles([file(8, 'invoice.pdf', 'application/pdf')])} />,
    );
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await act(async () => fireEvent.click(screen.getByRole('button', { name: /invoice\.pdf/ })));
    expect(backend.callsOf('download')).toEqual([[8]]);
    expect(click).toHaveBeenCalledTimes(1);
  });
});

describe('emoji in the composer', () => {
  it('inserts at the caret, replacing a selection', () => {
    expect(insertAt('Thanks!', '🙏', 6, 6)).toEqual({ text: 'Thanks🙏!', caret: 8 });
    expect(insertAt('Thanks!', '👍', 0, 7)).toEqual({ text: '👍', caret: 2 });
    expect(insertAt('', '😊', 5, 9)).toEqual({ text: '😊', caret: 2 });
  });

  it('opens a palette and puts the emoji in the draft', async () => {
    setup(<Composer conversation={1042} canWritePublic />);
    const box = screen.getByLabelText('Message') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'All done ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Emoji' }));
    fireEvent.click(screen.getByRole('button', { name: '👍' }));
    await waitFor(() => expect(box.value).toBe('All done 👍'));
    expect(screen.queryByRole('group', { name: 'Emoji palette' })).toBeNull();
  });
});
