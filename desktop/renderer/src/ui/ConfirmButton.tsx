// Every destructive action goes through this: a button that asks first, in a
// dialog whose safe choice (Cancel) has the focus, and that shows the server's
// error if the action is refused. Not shown to a credential that may change
// nothing (support).
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button.tsx';
import { Dialog } from './Dialog.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { useMayChange } from '../api/session.tsx';

export function ConfirmButton({ label, title, confirmLabel = label, children, onConfirm, danger = true, small = false, disabledReason, accessibleLabel }: {
  label: string;
  title: string;
  confirmLabel?: string;
  /** What will happen, in words. */
  children: ReactNode;
  /** Makes the change (and notifies); a refusal is shown in the dialog. */
  onConfirm: () => Promise<unknown>;
  danger?: boolean;
  small?: boolean;
  /** Why it cannot be used now; when set, the button is disabled and says so. */
  disabledReason?: string | false;
  /** A fuller name for screen readers when the label is short ("Remove" → "Remove Desk phone 3"). */
  accessibleLabel?: string;
}) {
  const { t } = useTranslation();
  const mayChange = useMayChange();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => { if (!busy) { setOpen(false); setError(null); } };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const tone = danger ? 'btn-danger' : 'btn-primary';
  if (!mayChange) return null;
  return (
    <>
      <Button className={`btn ${danger ? 'btn-danger-outline' : ''} ${small ? 'btn-small' : ''}`} onClick={() => setOpen(true)}
        disabledReason={disabledReason} aria-label={accessibleLabel}>
        {label}
      </Button>
      {open && (
        <Dialog title={title} onClose={close} role="alertdialog">
          <div className="confirm-text">{children}</div>
          {error !== null && <ErrorNotice error={error} />}
          <div className="form-actions">
            <button type="button" className="btn" onClick={close} data-autofocus disabled={busy}>{t('common.cancel')}</button>
            <button type="button" className={`btn ${tone}`} onClick={() => void confirm()} disabled={busy}>
              {busy ? t('common.working') : confirmLabel}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
