// A notification after every change ("Client deactivated"), in a live region
// screen readers announce, with Undo where the API can reverse the change
// (reactivating what was just deactivated): the undo is the reverse call, made
// when staff ask for it, not a delayed send. A notification leaves by itself
// after a while, but not while the pointer or the focus is on it.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemOf } from '../api/errors.ts';

export interface Notification {
  message: string;
  tone?: 'ok' | 'error';
  /** The reverse of the change, offered as an Undo button. */
  undo?: () => Promise<unknown>;
  /** What the notification says once the undo is done ("Client reactivated"). */
  undone?: string;
}

interface Shown extends Notification {
  id: number;
}

type Notify = (notification: Notification) => void;

const NotifyContext = createContext<Notify | null>(null);

/** Outside a provider (a component tested alone) notifications go nowhere. */
export function useNotify(): Notify {
  return useContext(NotifyContext) ?? noop;
}
function noop() {}

/** How long a notification stays, in ms (longer when it can be undone). */
const STAY_MS = 6_000;
const STAY_WITH_UNDO_MS = 12_000;

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState<Shown[]>([]);
  const next = useRef(0);
  const dismiss = useCallback((id: number) => setShown((list) => list.filter((n) => n.id !== id)), []);
  const notify = useCallback<Notify>((notification) => {
    const id = ++next.current;
    // Newest last; at most four at once.
    setShown((list) => [...list.slice(-3), { ...notification, id }]);
  }, []);
  return (
    <NotifyContext.Provider value={notify}>
      {children}
      <Toasts shown={shown} dismiss={dismiss} notify={notify} />
    </NotifyContext.Provider>
  );
}

function Toasts({ shown, dismiss, notify }: { shown: Shown[]; dismiss: (id: number) => void; notify: Notify }) {
  const { t } = useTranslation();
  return (
    <section className="toasts" aria-label={t('notifications.region')}>
      {/* Always present, so that what is added to them is announced (live
          regions without a role: an empty alert region would be one more
          "alert" on every page). */}
      <div aria-live="polite" className="toast-list">
        {shown.filter((n) => n.tone !== 'error').map((n) => <Toast key={n.id} notification={n} dismiss={dismiss} notify={notify} />)}
      </div>
      <div aria-live="assertive" className="toast-list">
        {shown.filter((n) => n.tone === 'error').map((n) => <Toast key={n.id} notification={n} dismiss={dismiss} notify={notify} />)}
      </div>
    </section>
  );
}

function Toast({ notification: n, dismiss, notify }: { notification: Shown; dismiss: (id: number) => void; notify: Notify }) {
  const { t } = useTranslation();
  const [held, setHeld] = useState(false);
  const [undoing, setUndoing] = useState(false);
  useEffect(() => {
    if (held || undoing) return;
    const timer = setTimeout(() => dismiss(n.id), n.undo ? STAY_WITH_UNDO_MS : STAY_MS);
    return () => clearTimeout(timer);
  }, [held, undoing, n, dismiss]);
  const undo = async () => {
    setUndoing(true);
    try {
      await n.undo!();
      dismiss(n.id);
      notify({ message: n.undone ?? t('notifications.undone') });
    } catch (error) {
      dismiss(n.id);
      notify({ message: t('notifications.undoFailed', { message: problemOf(error).message }), tone: 'error' });
    }
  };
  return (
    <div className={`toast toast-${n.tone ?? 'ok'}`} data-testid="toast"
      onMouseEnter={() => setHeld(true)} onMouseLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)} onBlur={() => setHeld(false)}>
      <p className="toast-message">{n.message}</p>
      {n.undo && (
        <button type="button" className="btn btn-small" onClick={() => void undo()} disabled={undoing}>
          {undoing ? t('common.working') : t('notifications.undo')}
        </button>
      )}
      <button type="button" className="btn btn-ghost btn-icon btn-small" onClick={() => dismiss(n.id)} aria-label={t('notifications.dismiss')}>×</button>
    </div>
  );
}

