// An attachment in a message. Images, video and audio are previewed in place
// (downloaded through the backend, shown from a blob: URL the CSP allows and
// released when the message leaves the screen); any file can be saved with
// its name. The server checked each file's type by its content at upload, so
// `media_type` is the sniffed type, not the sender's claim.
import { useEffect, useState } from 'react';
import type { Attachment } from '../../protocol';
import { BackendError, type Downloaded } from '../backend/types';
import { useBanner } from '../state/context';

/** Larger files are not fetched for a preview; they can still be saved. */
export const PREVIEW_MAX_BYTES = 16 * 1024 * 1024;

export type PreviewKind = 'image' | 'video' | 'audio' | null;

/** How a file is previewed, from its sniffed type and size. */
export function previewKind(file: Attachment): PreviewKind {
  if (file.size > PREVIEW_MAX_BYTES) {
    return null;
  }
  const top = file.media_type.split('/')[0];
  return top === 'image' || top === 'video' || top === 'audio' ? top : null;
}

/** A size in words: 12 KB, 3.4 MB. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${Math.round(bytes / 1024)} KB`;
  }
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A `blob:` URL for downloaded bytes, typed by the server's sniffed type. */
function blobUrl(got: Downloaded, mediaType: string): string {
  return URL.createObjectURL(
    new Blob([got.bytes as BlobPart], { type: got.media_type ?? mediaType }),
  );
}

export function AttachmentView({ file }: { file: Attachment }) {
  const { backend } = useBanner();
  const kind = previewKind(file);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (kind === null) {
      return;
    }
    let made: string | null = null;
    let gone = false;
    backend
      .download(file.id)
      .then((got) => {
        if (!gone) {
          made = blobUrl(got, file.media_type);
          setUrl(made);
        }
      })
      .catch((e) => setError(BackendError.from(e).message));
    return () => {
      gone = true;
      if (made) {
        URL.revokeObjectURL(made);
      }
    };
  }, [backend, file.id, file.media_type, kind]);

  async function save() {
    setError(null);
    try {
      const got = await backend.download(file.id);
      const blob = blobUrl(got, file.media_type);
      const a = document.createElement('a');
      a.href = blob;
      a.download = got.filename ?? file.filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(blob), 10_000);
    } catch (e) {
      setError(BackendError.from(e).message);
    }
  }

  return (
    <figure className="attachment">
      {url && kind === 'image' && <img src={url} alt={file.filename} />}
      {url && kind === 'video' && (
        // biome-ignore lint/a11y/useMediaCaption: visitors' own recordings come without captions.
        <video src={url} controls aria-label={file.filename} />
      )}
      {url && kind === 'audio' && (
        // biome-ignore lint/a11y/useMediaCaption: visitors' own recordings come without captions.
        <audio src={url} controls aria-label={file.filename} />
      )}
      <figcaption>
        <button type="button" onClick={save} title="Save or open the file">
          {kind === null ? '📄' : '📎'} {file.filename}
        </button>{' '}
        <span className="size">{sizeText(file.size)}</span>
      </figcaption>
      {error && <p role="alert">{error}</p>}
    </figure>
  );
}
