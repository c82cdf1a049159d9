// Sign in with an API credential (a staff one, to see every reseller). The
// secret and the token it buys stay in memory: closing the window signs out.
import { useTranslation } from 'react-i18next';
import { useSession } from '../api/session.tsx';
import { defaultServerUrl, inDesktopApp } from '../config.ts';
import { Form, TextField, useForm } from '../ui/form.tsx';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';

export function SignInScreen() {
  const { t } = useTranslation();
  const { signIn, endedBecause } = useSession();
  const form = useForm({
    initial: { serverUrl: defaultServerUrl(), clientId: '', clientSecret: '' },
    labels: { serverUrl: t('signIn.serverUrl'), clientId: t('signIn.clientId'), clientSecret: t('signIn.secret') },
    required: ['serverUrl', 'clientId', 'clientSecret'],
    submit: (v) => signIn({ serverUrl: v.serverUrl.trim(), clientId: v.clientId.trim(), clientSecret: v.clientSecret }),
  });
  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <div className="sign-in-header">
          <h1>{t('shell.brand')}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('signIn.intro')}</p>
        {endedBecause && <p className="notice notice-warn" role="status">{endedBecause}</p>}
        <Form form={form} submitLabel={t('signIn.submit')}>
          <TextField name="serverUrl" type="url" mono
            hint={inDesktopApp() ? t('signIn.serverUrlDesktop') : t('signIn.serverUrlBrowser')} />
          <TextField name="clientId" autoFocus mono placeholder="ck_…" />
          <TextField name="clientSecret" type="password" mono placeholder="cs_…" hint={t('signIn.secretHint')} />
        </Form>
      </div>
    </main>
  );
}
