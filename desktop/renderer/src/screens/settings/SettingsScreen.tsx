// The desktop app's Settings: the server it talks to. Staff see the server in
// use, type another, and the main process checks it (https, or http for this
// machine only; GET /healthz answers) before keeping it; its verdict is shown
// here, and the app reopens on the new server (the CSP then allows it). At
// first start, with no server chosen, this is shown before sign-in. In the
// browser (no preload) there is nothing to choose: the server is the origin.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesktopApi } from '../../../../preload/api.ts';
import { SignInCard } from '../../ui/SignInCard.tsx';
import { Page } from '../../ui/Page.tsx';

type SettingsApi = DesktopApi['settings'];
type ServerSetting = Awaited<ReturnType<SettingsApi['getServer']>>;

/** The settings calls of the preload; undefined in the browser. */
export function desktopSettings(): SettingsApi | undefined {
  return window.desktop?.settings;
}

/** The server in use, as the main process says (undefined while loading, and in the browser). */
export function useServerSetting(api: SettingsApi | undefined = desktopSettings()): ServerSetting | undefined {
  const [setting, setSetting] = useState<ServerSetting>();
  useEffect(() => {
    if (!api) return;
    let live = true;
    api.getServer().then((value) => { if (live) setSetting(value); }, () => undefined);
    return () => { live = false; };
  }, [api]);
  return setting;
}

type Verdict = { state: 'checking' } | { state: 'saved'; url: string } | { state: 'refused'; message: string };

function ServerForm({ api }: { api: SettingsApi }) {
  const { t } = useTranslation();
  const setting = useServerSetting(api);
  const [address, setAddress] = useState('');
  const [verdict, setVerdict] = useState<Verdict>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setVerdict({ state: 'checking' });
    try {
      const answer = await api.setServer(address.trim());
      setVerdict(answer.ok ? { state: 'saved', url: answer.url } : { state: 'refused', message: answer.message });
    } catch (error) {
      setVerdict({ state: 'refused', message: (error as Error).message });
    }
  };
  return (
    <form className="form" onSubmit={(event) => void submit(event)}>
      <dl className="details">
        <dt>{t('settings.current')}</dt>
        <dd className="mono" data-testid="current-server">
          {!setting ? t('settings.loading') : setting.configured ? setting.url : t('settings.notChosen', { url: setting.url })}
        </dd>
      </dl>
      <div className="field">
        <label htmlFor="server-address">{t('settings.newServer')}</label>
        <input id="server-address" type="url" className="input mono" required value={address} spellCheck={false}
          onChange={(event) => setAddress(event.target.value)} autoComplete="off" aria-describedby="server-hint" />
        <span id="server-hint" className="field-hint">{t('settings.newServerHint')}</span>
      </div>
      {verdict?.state === 'saved' && <p role="status" className="notice">{t('settings.saved', { url: verdict.url })}</p>}
      {verdict?.state === 'refused' && (
        <div role="alert" className="notice notice-error">
          <p className="notice-title">{t('settings.refused')}</p>
          <p>{verdict.message}</p>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={verdict?.state === 'checking' || address.trim() === ''}>
          {verdict?.state === 'checking' ? t('settings.checking') : t('settings.check')}
        </button>
      </div>
    </form>
  );
}

/** The Settings route (desktop app only: the sidebar offers it there). */
export function SettingsScreen({ api = desktopSettings() }: { api?: SettingsApi }) {
  const { t } = useTranslation();
  return (
    <Page title={t('settings.title')} subtitle={t('settings.subtitle')}>
      {api ? <ServerForm api={api} /> : <p>{t('settings.browserOnly')}</p>}
    </Page>
  );
}

/** Shown before sign-in at the desktop app's first start, while no server is chosen. */
export function FirstStartScreen({ api }: { api: SettingsApi }) {
  const { t } = useTranslation();
  return (
    <SignInCard>
      <p>{t('settings.firstStart')}</p>
      <ServerForm api={api} />
    </SignInCard>
  );
}
