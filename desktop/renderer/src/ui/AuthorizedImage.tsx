// A picture the API serves by URL to a caller with a bearer token (an
// account's picture, a family's image). An <img src> cannot send the token,
// so the picture is read with fetch and shown as a data: URL, which the
// console's CSP allows for images (img-src 'self' data:).
import { useContext, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SessionContext } from '../api/session.tsx';

export function AuthorizedImage({ url, alt }: { url: string; alt: string }) {
  const { t } = useTranslation();
  const session = useContext(SessionContext)?.session;
  const [src, setSrc] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!url || !session) return;
    let cancelled = false;
    void (async () => {
      try {
        const answer = await fetch(url, { headers: { authorization: `Bearer ${await session.token()}` } });
        if (!answer.ok) throw new Error(String(answer.status));
        const blob = await answer.blob();
        const reader = new FileReader();
        reader.onload = () => { if (!cancelled) setSrc(String(reader.result)); };
        reader.readAsDataURL(blob);
      } catch {
        if (!cancelled) setFailed(true);
      }
    })();
    return () => { cancelled = true; };
  }, [url, session]);
  if (!url) return <span className="muted">{t('images.none')}</span>;
  if (failed) return <span className="muted">{t('images.failed')}</span>;
  return src ? <img src={src} alt={alt} className="picture" /> : <span className="muted">{t('states.loading')}</span>;
}

/** A new picture chosen from a file (PNG or JPEG), or the current one removed. */
export interface ImageChoice {
  bytes?: Uint8Array;
  remove: boolean;
}

export function ImageInput({ label, hasImage, value, onChange }: { label: string; hasImage: boolean; value: ImageChoice; onChange: (choice: ImageChoice) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="file" accept="image/png,image/jpeg" aria-describedby={`${id}-hint`}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          onChange({ bytes: file ? new Uint8Array(await file.arrayBuffer()) : undefined, remove: false });
        }} />
      <p className="field-hint" id={`${id}-hint`}>{t('images.hint')}</p>
      {hasImage && (
        <label className="checkbox">
          <input type="checkbox" checked={value.remove} onChange={(e) => onChange({ bytes: undefined, remove: e.target.checked })} /> {t('images.remove')}
        </label>
      )}
    </div>
  );
}
