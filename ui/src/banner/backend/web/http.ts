// The HTTP half of the web backend: URLs under the server's base URL, the
// bearer token in a header (never in a URL), JSON bodies, and error answers
// turned into `BackendError` with the server's `{code, message}`.
import { HEADERS, PATHS } from '../../../protocol';
import { BackendError, type Downloaded } from '../types';

/** `path` with its `{id}` filled in. */
export function withId(path: string, id: number): string {
  return path.replace('{id}', String(id));
}

export class Http {
  readonly base: URL;
  token: string | null = null;

  constructor(server: string) {
    let base: URL;
    try {
      base = new URL(server);
    } catch {
      throw new BackendError('bad_url', `“${server}” is not a server address.`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new BackendError('bad_url', 'The server address must start with http:// or https://.');
    }
    this.base = base;
  }

  /** `path` under the base URL (a base with a path prefix keeps it). */
  url(path: string): URL {
    const url = new URL(this.base.href);
    url.pathname = `${this.base.pathname.replace(/\/$/, '')}${path}`;
    return url;
  }

  /** The agent socket's URL: `ws://` for `http://`, `wss://` for `https://`. */
  wsUrl(): string {
    const url = this.url(PATHS.AGENT_WS);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.href;
  }

  async json<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    query?: Record<string, string>,
  ): Promise<T> {
    const response = await this.request(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      query,
    );
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }

  async upload<T>(path: string, name: string, type: string, bytes: Uint8Array): Promise<T> {
    const response = await this.request('POST', path, bytes as Uint8Array<ArrayBuffer>, {
      'Content-Type': type || 'application/octet-stream',
      [HEADERS.FILENAME]: encodeURIComponent(name),
    });
    return (await response.json()) as T;
  }

  async download(path: string): Promise<Downloaded> {
    const response = await this.request('GET', path);
    const disposition = response.headers.get('Content-Disposition');
    const encoded = disposition?.match(/filename\*=UTF-8''([^;]+)/)?.[1];
    return {
      media_type: response.headers.get('Content-Type'),
      filename: encoded ? decodeURIComponent(encoded) : null,
      bytes: new Uint8Array(await response.arrayBuffer()),
    };
  }

  private async request(
    method: string,
    path: string,
    body?: BodyInit,
    headers: Record<string, string> = {},
    query?: Record<string, string>,
  ): Promise<Response> {
    const url = this.url(path);
    for (const [key, value] of Object.entries(query ?? {})) {
      url.searchParams.set(key, value);
    }
    if (this.token) {
      headers[HEADERS.AUTHORIZATION] = `Bearer ${this.token}`;
    }
    let response: Response;
    try {
      response = await fetch(url, { method, body, headers });
    } catch (e) {
      throw new BackendError(
        'network',
        `The server at ${this.base.origin} did not answer (${String(e)}).`,
      );
    }
    if (!response.ok) {
      throw await refusal(response);
    }
    return response;
  }
}

/** The error body of a refused request, or a sentence made from its status. */
async function refusal(response: Response): Promise<BackendError> {
  const text = await response.text().catch(() => '');
  try {
    return BackendError.from(JSON.parse(text));
  } catch {
    return new BackendError('app', `HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
}
