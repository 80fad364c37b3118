// What the agent holding a chat may do with it, where it stands: transfer
// (to a user, a queue or a flow; attended or blind), wait for the customer,
// archive, and complete wrap-up. Each button exists only where the server
// would accept it; the server checks anyway.
import { useState } from 'react';
import type {
  Actions,
  ConversationDetails,
  Directory,
  TransferMode,
  TransferTargetKind,
} from '../../protocol';
import { BackendError } from '../backend/types';
import { useBanner, useBannerState } from '../state/context';

const NO_ACTIONS: Actions = {
  transfer_to_user: false,
  transfer_to_queue: false,
  transfer_to_flow: false,
  qualification_form: null,
  script: null,
  video_call: false,
};

export function ChatActions({ details }: { details: ConversationDetails }) {
  const { backend } = useBanner();
  const [error, setError] = useState<string | null>(null);
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [disposition, setDisposition] = useState('');
  const c = details.conversation;

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(BackendError.from(e).message);
    }
  }

  const actions = details.actions;
  return (
    <div className="chat-actions">
      {details.place === 'active' && actions && (
        <>
          {(actions.transfer_to_user || actions.transfer_to_queue || actions.transfer_to_flow) && (
            <button
              type="button"
              onClick={() => run(async () => setDirectory(await backend.directory()))}
            >
              Transfer…
            </button>
          )}
          <button type="button" onClick={() => run(() => backend.waitForCustomer(c))}>
            Wait for customer
          </button>
          <button type="button" onClick={() => run(() => backend.archive(c))}>
            Archive
          </button>
        </>
      )}
      {details.place === 'wrap_up' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            run(() => backend.completeWrapUp(c, disposition.trim() || null));
          }}
        >
          <input
            aria-label={actions?.qualification_form ?? 'Outcome'}
            placeholder={actions?.qualification_form ?? 'Outcome (optional)'}
            value={disposition}
            onChange={(e) => setDisposition(e.target.value)}
          />
          <button type="submit">Complete wrap-up</button>
        </form>
      )}
      {directory && (
        <TransferDialog
          directory={directory}
          actions={actions ?? NO_ACTIONS}
          onCancel={() => setDirectory(null)}
          onTransfer={(kind, id, mode) =>
            run(async () => {
              await backend.transfer(c, { kind, id }, mode);
              setDirectory(null);
            })
          }
        />
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}

/** One transfer target, as the dialog lists it. */
type Target = { kind: TransferTargetKind; id: number; label: string };

/**
 * Where the chat may go, grouped as users, queues and flows, only the kinds
 * the agent's profile allows, never the agent themself (the server refuses a
 * transfer to self). Flows take blind transfers only.
 */
export function transferTargets(
  directory: Directory,
  actions: Actions,
  me: number | undefined,
): { title: string; targets: Target[] }[] {
  const groups = [
    {
      title: 'Users',
      allowed: actions.transfer_to_user,
      targets: directory.agents
        .filter((a) => a.id !== me)
        .map((a) => ({ kind: 'user' as const, id: a.id, label: `${a.name} (${a.presence})` })),
    },
    {
      title: 'Queues',
      allowed: actions.transfer_to_queue,
      targets: directory.queues.map((q) => ({ kind: 'queue' as const, id: q.id, label: q.label })),
    },
    {
      title: 'Flows',
      allowed: actions.transfer_to_flow,
      targets: directory.flows.map((f) => ({ kind: 'flow' as const, id: f.id, label: f.name })),
    },
  ];
  return groups
    .filter((g) => g.allowed && g.targets.length > 0)
    .map(({ title, targets }) => ({ title, targets }));
}

function TransferDialog({
  directory,
  actions,
  onCancel,
  onTransfer,
}: {
  directory: Directory;
  actions: Actions;
  onCancel: () => void;
  onTransfer: (kind: TransferTargetKind, id: number, mode: TransferMode) => void;
}) {
  const me = useBannerState((s) => s.profile?.id);
  const [mode, setMode] = useState<TransferMode>('blind');
  return (
    <dialog open aria-label="Transfer" className="transfer">
      <label>
        <input type="radio" checked={mode === 'blind'} onChange={() => setMode('blind')} /> Blind
      </label>
      <label>
        <input type="radio" checked={mode === 'attended'} onChange={() => setMode('attended')} />{' '}
        Attended
      </label>
      {transferTargets(directory, actions, me).map((group) => (
        <section key={group.title} aria-label={group.title}>
          <h3>{group.title}</h3>
          <ul>
            {group.targets.map((t) => (
              <li key={`${t.kind}-${t.id}`}>
                <button
                  type="button"
                  disabled={t.kind === 'flow' && mode === 'attended'}
                  title={
                    t.kind === 'flow' && mode === 'attended'
                      ? 'Flows take blind transfers only'
                      : ''
                  }
                  onClick={() => onTransfer(t.kind, t.id, mode)}
                >
                  {t.label}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </dialog>
  );
}
