// Copies a value (a secret, an id) to the clipboard and says so.
import { useState } from 'react';

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

export function CopyButton({ text, label = 'Copy', what }: { text: string; label?: string; what: string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span className="copy">
      <button type="button" className="btn btn-small" aria-label={`${label} ${what}`}
        onClick={() => copy(text).then(() => setStatus('copied'), () => setStatus('failed'))}>
        {label}
      </button>
      <span className="copy-status" role="status" aria-live="polite">
        {status === 'copied' ? 'Copied' : status === 'failed' ? 'Copy failed: select the text and copy it by hand' : ''}
      </span>
    </span>
  );
}
