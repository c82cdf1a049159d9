// A modal dialog on the native <dialog>: the browser traps focus inside it,
// makes the page behind inert, closes it on Escape and gives focus back to
// the button that opened it. Rendered only while open. The element to focus
// first carries `data-autofocus` (React's autoFocus runs before showModal(),
// while the dialog is still hidden, so it cannot work here).
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Dialog({ title, onClose, children, wide = false, role }: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  /** `alertdialog` for confirmations. */
  role?: 'alertdialog';
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      role={role}
      // Escape: let React decide (the parent unmounts us) rather than the browser.
      onCancel={(event) => { event.preventDefault(); onClose(); }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="btn btn-ghost btn-icon" onClick={onClose} aria-label="Close">×</button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
