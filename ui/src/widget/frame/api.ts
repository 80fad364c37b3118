// The HTTP side of the protocol the frame uses (docs/protocol.md §4): opening a
// visitor session, reading a conversation's history, uploading and fetching
// attachments. The token always travels in the Authorization header.

import type {
  Attachment,
  ErrorBody,
  EventPage,
  Uploaded,
  VisitorEvent,
  VisitorSessionRequest,
  VisitorSessionResponse,
} from '../../protocol';
import { DEFAULT_EVENTS_PAGE, HEADERS, PATHS } from '../../protocol';

/** A refusal from the server (`code` from the protocol), or `network`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function parseError(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as ErrorBody;
    return new ApiError(status, body.code, body.message);
  } catch {
    return new ApiError(status, status === 0 ? 'network' : 'internal', text || `HTTP ${status}`);
  }
}

async function call<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', String(e));
  }
  const text = await response.text();
  if (!response.ok) throw parseError(response.status, text);
  return JSON.parse(text) as T;
}

const bearer = (token: string) => ({ [HEADERS.AUTHORIZATION]: `Bearer ${token}` });

export function openSession(request: VisitorSessionRequest): Promise<VisitorSessionResponse> {
  return call(PATHS.VISITOR_SESSION, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
}

/**
 * One page of the conversation as the visitor sees it, after `after`. Pages
 * are small so that drawing one stays well under a 50 ms task.
 */
export function history(
  token: string,
  conversation: number,
  after: number,
): Promise<EventPage<VisitorEvent>> {
  const path = PATHS.VISITOR_CONVERSATION_EVENTS.replace('{id}', String(conversation));
  return call(`${path}?after=${after}&limit=${DEFAULT_EVENTS_PAGE}`, { headers: bearer(token) });
}

/** An attachment's bytes (for an object URL: `<img src>` cannot send a header). */
export async function download(token: string, id: number): Promise<Blob> {
  const response = await fetch(PATHS.ATTACHMENT.replace('{id}', String(id)), {
    headers: bearer(token),
  });
  if (!response.ok) throw parseError(response.status, await response.text());
  return response.blob();
}

/** Uploads `file` as the raw body, reporting progress from 0 to 1. */
export function upload(
  token: string,
  conversation: number,
  file: File,
  progress: (fraction: number) => void,
): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', PATHS.CONVERSATION_ATTACHMENTS.replace('{id}', String(conversation)));
    xhr.setRequestHeader(HEADERS.AUTHORIZATION, `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.setRequestHeader(HEADERS.FILENAME, encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) progress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve((JSON.parse(xhr.responseText) as Uploaded).attachment);
        } catch {
          reject(new ApiError(xhr.status, 'internal', 'unreadable answer'));
        }
      } else {
        reject(parseError(xhr.status, xhr.responseText));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.send(file);
  });
}
