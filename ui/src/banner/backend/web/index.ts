// The web backend: the agent UI in a browser (or a webview without the
// desktop app's commands) speaking protocol 1 to banner-server itself —
// HTTP for the lists and pages, the agent socket for commands and frames.
import {
  type AgentCommand,
  type AgentEvent,
  type AgentProfile,
  type Attachment,
  type ConversationDetails,
  type Directory,
  type EventPage,
  type HistoryPage,
  type LoginResponse,
  PATHS,
  type Pool,
  type Supervision,
  type Uploaded,
} from '../../../protocol';
import { type Backend, BackendError, type BackendEvent, type NotificationPrefs } from '../types';
import { loadPrefs, loadRemembered, savePrefs, saveRemembered } from './device';
import { Http, withId } from './http';
import { AgentSocket, newId, type SocketFactory } from './socket';

export class WebBackend implements Backend {
  readonly kind = 'web' as const;
  private http: Http | null = null;
  private socket: AgentSocket | null = null;
  private readonly listeners = new Set<(event: BackendEvent) => void>();

  constructor(private readonly factory?: SocketFactory) {}

  async login(server: string, username: string, password: string): Promise<AgentProfile> {
    this.socket?.close();
    const http = new Http(server);
    const answer = await http.json<LoginResponse>('POST', PATHS.LOGIN, { username, password });
    http.token = answer.token;
    this.http = http;
    this.socket = new AgentSocket(http.wsUrl(), answer.token, (e) => this.emit(e), this.factory);
    const welcome = await this.socket.open();
    await this.command({ type: 'subscribe_pool', id: newId() });
    saveRemembered({ server, username });
    return welcome.agent;
  }

  async rememberedLogin() {
    return loadRemembered();
  }
  async notificationPrefs() {
    return loadPrefs();
  }
  /** Kept in local storage; the five switches go to the server when logged in. */
  async setNotificationPrefs(prefs: NotificationPrefs): Promise<void> {
    savePrefs(prefs);
    if (this.socket) {
      await this.command({ type: 'set_notification_settings', id: newId(), settings: prefs.kinds });
    }
  }
  /** A browser tab shows no native notifications, so none is ever clicked. */
  onFocus(_listener: (conversation: number) => void): () => void {
    return () => {};
  }

  async logout(): Promise<void> {
    await this.requireHttp().json<void>('POST', PATHS.LOGOUT);
    this.socket?.close();
    this.socket = null;
    this.http = null;
  }

  setPresence(presence: AgentProfile['presence']) {
    return this.command({ type: 'set_presence', id: newId(), presence });
  }
  async pool() {
    return this.requireHttp().json<Pool>('GET', PATHS.POOL);
  }
  accept(conversation: number) {
    return this.command({ type: 'accept', id: newId(), conversation });
  }
  decline(conversation: number) {
    return this.command({ type: 'decline', id: newId(), conversation });
  }
  pick(conversation: number) {
    return this.command({ type: 'pick', id: newId(), conversation });
  }
  sendMessage(conversation: number, text: string, isPrivate: boolean, attachments: number[]) {
    return this.command({
      type: 'send_message',
      id: newId(),
      conversation,
      text,
      private: isPrivate,
      attachments,
    });
  }
  typing(conversation: number, on: boolean, isPrivate: boolean): void {
    this.socket?.sendUnanswered({ type: 'typing', conversation, on, private: isPrivate });
  }
  read(conversation: number, seq: number) {
    return this.command({ type: 'read', id: newId(), conversation, seq });
  }
  async upload(
    conversation: number,
    file: { name: string; type: string; bytes: Uint8Array },
  ): Promise<Attachment> {
    const path = withId(PATHS.CONVERSATION_ATTACHMENTS, conversation);
    const answer = await this.requireHttp().upload<Uploaded>(
      path,
      file.name,
      file.type,
      file.bytes,
    );
    return answer.attachment;
  }
  async download(attachment: number) {
    return this.requireHttp().download(withId(PATHS.ATTACHMENT, attachment));
  }
  async directory() {
    return this.requireHttp().json<Directory>('GET', PATHS.DIRECTORY);
  }
  transfer(
    conversation: number,
    target: { kind: 'user' | 'queue' | 'flow'; id: number },
    mode: 'attended' | 'blind',
  ) {
    return this.command({ type: 'transfer', id: newId(), conversation, target, mode });
  }
  cancelTransfer(conversation: number) {
    return this.command({ type: 'cancel_transfer', id: newId(), conversation });
  }
  waitForCustomer(conversation: number) {
    return this.command({ type: 'wait_for_customer', id: newId(), conversation });
  }
  archive(conversation: number) {
    return this.command({ type: 'archive', id: newId(), conversation });
  }
  completeWrapUp(conversation: number, disposition: string | null) {
    return this.command({ type: 'complete_wrap_up', id: newId(), conversation, disposition });
  }
  async conversation(conversation: number) {
    return this.requireHttp().json<ConversationDetails>(
      'GET',
      withId(PATHS.CONVERSATION, conversation),
    );
  }
  async events(conversation: number, after: number) {
    const path = withId(PATHS.CONVERSATION_EVENTS, conversation);
    return this.requireHttp().json<EventPage<AgentEvent>>('GET', path, undefined, {
      after: String(after),
    });
  }
  async history(q: string) {
    return this.requireHttp().json<HistoryPage>('GET', PATHS.HISTORY, undefined, { q });
  }
  async supervision() {
    return this.requireHttp().json<Supervision>('GET', PATHS.SUPERVISION);
  }
  subscribeSupervision() {
    return this.command({ type: 'subscribe_supervision', id: newId() });
  }
  watch(conversation: number, lastSeq: number) {
    return this.command({ type: 'watch', id: newId(), conversation, last_seq: lastSeq });
  }
  unwatch(conversation: number) {
    return this.command({ type: 'unwatch', id: newId(), conversation });
  }

  subscribe(listener: (event: BackendEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: BackendEvent): void {
    for (const listener of this.listeners) {
      listener(event);
    }
  }

  private command(command: AgentCommand) {
    if (!this.socket) {
      return Promise.reject(new BackendError('not_logged_in', 'Log in first.'));
    }
    return this.socket.send(command);
  }

  private requireHttp(): Http {
    if (!this.http) {
      throw new BackendError('not_logged_in', 'Log in first.');
    }
    return this.http;
  }
}
