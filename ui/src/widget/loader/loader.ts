// The widget's loader: what a host page embeds with one <script> tag. It stays
// tiny (budget: 3 KB gzipped): a launcher button, and on first open a
// sandboxed iframe from the Banner server that holds the whole chat. Calls
// made through `window.Banner(...)` before it loaded are replayed.
//
//   <script src="https://chat.example/widget.js" data-site="pk_live_3f9a" async></script>
//
// The launcher lives in a shadow root, so the host's CSS cannot reach
// it; the chat lives on the server's origin, so the host's scripts cannot.

import type { CustomerClaim } from '../../protocol';
import {
  ORIGIN_PARAM,
  TAG,
  type Tagged,
  type ToFrame,
  type ToHost,
  type WidgetConfig,
} from '../bridge';

type Api = ((command: string, arg?: unknown) => void) & { q?: ArrayLike<unknown>[]; loaded?: 1 };

const STATE_KEY = 'banner:state';

(() => {
  const w = window as unknown as { Banner?: Api };
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script || w.Banner?.loaded) return;
  const data = script.dataset;
  const server = new URL(data.server || script.src, location.href).origin;
  const fr = /^fr\b/i.test(data.locale || navigator.language || '');
  const label = fr
    ? { open: 'Ouvrir la discussion', close: 'Fermer la discussion', title: 'Discussion' }
    : { open: 'Open chat', close: 'Close chat', title: 'Chat' };
  const claim = (id?: string, signature?: string): CustomerClaim | null =>
    id && signature
      ? { id, signature, name: data.customerName || null, email: data.customerEmail || null }
      : null;
  const config: WidgetConfig = {
    site: data.site || '',
    locale: data.locale || null,
    customer: claim(data.customerId, data.customerSignature),
    agent: data.agent ? Number(data.agent) : null,
  };
  const queued: ArrayLike<unknown>[] = Array.from(w.Banner?.q || []);
  let mounted = false;

  let isOpen = false;
  let frame: HTMLIFrameElement | null = null;
  let panel: HTMLDivElement;
  let button: HTMLButtonElement;
  let badge: HTMLSpanElement;

  const remember = (value: string) => {
    try {
      sessionStorage.setItem(STATE_KEY, value);
    } catch {
      // Storage may be blocked; the widget then starts closed after a reload.
    }
  };

  const post = (message: ToFrame) =>
    frame?.contentWindow?.postMessage({ tag: TAG, ...message }, server);

  const create = () => {
    if (frame) return;
    frame = document.createElement('iframe');
    frame.title = label.title;
    // allow-scripts: the chat is a script. allow-same-origin: the frame keeps
    // the server's origin, for its own storage (the session survives a reload)
    // and same-origin requests to the server. allow-downloads: the visitor can
    // save documents an agent sends. Nothing else: no popups, no top
    // navigation, no forms, no modals.
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-downloads');
    frame.src = `${server}/widget/frame.html#${ORIGIN_PARAM}=${encodeURIComponent(location.origin)}`;
    panel.append(frame);
  };

  const setOpen = (open: boolean) => {
    if (open) create();
    isOpen = open;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    button.setAttribute('aria-label', open ? label.close : label.open);
    if (frame) remember(open ? 'open' : 'closed');
    post({ t: 'open', open });
    if (open) frame?.focus();
  };

  const api: Api = (command, arg) => {
    if (!mounted) queued.push([command, arg]);
    else if (command === 'open') setOpen(true);
    else if (command === 'close') setOpen(false);
    else if (command === 'toggle') setOpen(!isOpen);
    else if (command === 'identify') {
      const c = arg as Partial<CustomerClaim> | null;
      config.customer = c ? claim(c.id, c.signature) : null;
      if (config.customer && c) {
        config.customer.name = c.name ?? null;
        config.customer.email = c.email ?? null;
      }
      post({ t: 'identify', customer: config.customer });
    }
  };
  api.loaded = 1;
  w.Banner = api;

  window.addEventListener('message', (event: MessageEvent) => {
    const m = event.data as Tagged<ToHost> | null;
    if (event.origin !== server || !frame || event.source !== frame.contentWindow) return;
    if (!m || m.tag !== TAG) return;
    if (m.t === 'ready') post({ t: 'init', config, open: isOpen });
    else if (m.t === 'close') {
      setOpen(false);
      button.focus();
    } else if (m.t === 'unread') {
      badge.textContent = m.count > 0 ? String(Math.min(m.count, 99)) : '';
      badge.hidden = m.count <= 0;
    }
  });

  const mount = () => {
    // A custom element: host rules for `div` or `button` do not match it.
    const host = document.createElement('banner-chat');
    const root = host.attachShadow({ mode: 'open' });
    const css =
      ':host{all:initial}' +
      'button{all:initial;box-sizing:border-box;position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;background:#1d4ed8;color:#fff;cursor:pointer;display:flex;align-items:center;justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.3)}' +
      'button:hover{background:#1e40af}button:focus-visible{outline:3px solid #93c5fd;outline-offset:3px}' +
      'span{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#dc2626;color:#fff;font:700 12px/20px system-ui,sans-serif;text-align:center}' +
      'span[hidden],div[hidden]{display:none}' +
      'div{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:min(380px,calc(100vw - 40px));height:min(620px,calc(100vh - 108px));border-radius:14px;overflow:hidden;box-shadow:0 8px 32px rgba(0,0,0,.3);background:#fff}' +
      'iframe{border:0;width:100%;height:100%;display:block}' +
      '@media (max-width:480px){div{right:0;bottom:0;width:100vw;height:100vh;border-radius:0}}';
    try {
      // A constructed sheet also works under a host CSP without 'unsafe-inline'.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } catch {
      const style = document.createElement('style');
      style.textContent = css;
      root.append(style);
    }
    panel = document.createElement('div');
    panel.hidden = true;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', label.title);
    button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('aria-haspopup', 'dialog');
    const svg = 'http://www.w3.org/2000/svg';
    const icon = document.createElementNS(svg, 'svg');
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('width', '28');
    icon.setAttribute('height', '28');
    icon.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(svg, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute(
      'd',
      'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z',
    );
    icon.append(path);
    badge = document.createElement('span');
    badge.hidden = true;
    button.append(icon, badge);
    button.addEventListener('click', () => setOpen(!isOpen));
    root.append(panel, button);
    document.body.append(host);

    let state: string | null = null;
    try {
      state = sessionStorage.getItem(STATE_KEY);
    } catch {
      // Blocked storage: start closed.
    }
    // After a reload the chat comes back as the visitor left it.
    if (state) create();
    setOpen(state === 'open');
    mounted = true;
    for (const args of queued) api(...(Array.from(args) as [string, unknown?]));
  };

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
