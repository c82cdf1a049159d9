// A modal dialog on the native <dialog>: the browser traps focus inside it,
// makes the page behind inert and closes it on Escape. Rendered only while
// open. The element to focus first carries `data-autofocus` (React's
// autoFocus runs before showModal(), while the dialog is still hidden, so it
// cannot work here).
//
// When it closes, the focus goes back to what opened it. The browser does
// that itself only when a dialog is closed, not when it is removed from the
// page, which is how React closes it: without this the focus fell to <body>
// and a keyboard user started again from the top of the page. If the opener
// is gone (the row it was on was deleted), the focus goes to the page's title.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function focusable(element: Element | null): element is HTMLElement {
  return element instanceof HTMLElement && element.isConnected && element !== document.body;
}

/**
 * The opener of the dialog that closed last: a dialog that replaces another
 * in the same render (a form, then the secret it issued) gives the focus back
 * to what opened the first one.
 */
let closingOpener: Element | null = null;

export function Dialog({ title, onClose, children, wide = false, role }: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  /** `alertdialog` for confirmations. */
  role?: 'alertdialog';
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current!;
    const active = document.activeElement;
    const opener = focusable(active) && !active.closest('dialog') ? active : closingOpener;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      dialog.close();
      closingOpener = opener;
      // After React has finished this commit (the opener may be re-rendered or removed in it).
      queueMicrotask(() => {
        if (document.querySelector('dialog[open]')) return;
        if (focusable(opener)) opener.focus();
        else document.querySelector<HTMLElement>('main h1')?.focus();
      });
    };
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
        <button type="button" className="btn btn-ghost btn-icon" onClick={onClose} aria-label={t('common.close')}>×</button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
