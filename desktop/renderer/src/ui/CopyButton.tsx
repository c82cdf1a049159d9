// Copies a value (a secret, an id) to the clipboard and says so.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

async function copy(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // No async clipboard outside secure contexts (plain http on a LAN).
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.append(area);
  area.select();
  const done = document.execCommand('copy');
  area.remove();
  if (!done) throw new Error('copy refused');
}

/** `label` names the button for screen readers: "Copy secret" rather than "Copy". */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span className="copy">
      <button type="button" className="btn btn-small" aria-label={label}
        onClick={() => copy(text).then(() => setStatus('copied'), () => setStatus('failed'))}>
        {t('copy.button')}
      </button>
      <span className="copy-status" role="status" aria-live="polite">
        {status === 'copied' ? t('copy.copied') : status === 'failed' ? t('copy.failed') : ''}
      </span>
    </span>
  );
}
