// Sign in as a person (e-mail, password, the code of the authenticator app),
// or with an API credential (machines' way in, kept for first start). A
// person's session is kept outside the page (the desktop app's main process,
// or the server's HttpOnly cookie) and survives a reload; a credential's
// secret stays in memory only.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../api/session.tsx';
import { defaultServerUrl, inDesktopApp } from '../config.ts';
import { Form, TextField, useForm } from '../ui/form.tsx';
import { SignInCard } from '../ui/SignInCard.tsx';

function PersonForm() {
  const { t } = useTranslation();
  const { signInAsPerson } = useSession();
  const form = useForm({
    initial: { email: '', password: '', code: '' },
    labels: { email: t('signIn.email'), password: t('signIn.password'), code: t('signIn.code') },
    required: ['email', 'password', 'code'],
    submit: (v) => signInAsPerson({ serverUrl: defaultServerUrl(), email: v.email.trim(), password: v.password, code: v.code }),
  });
  return (
    <Form form={form} submitLabel={t('signIn.submit')}>
      <TextField name="email" autoFocus />
      <TextField name="password" type="password" />
      <TextField name="code" mono placeholder="123456" hint={t('signIn.codeHint')} />
    </Form>
  );
}

function CredentialForm() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const form = useForm({
    initial: { serverUrl: defaultServerUrl(), clientId: '', clientSecret: '' },
    labels: { serverUrl: t('signIn.serverUrl'), clientId: t('signIn.clientId'), clientSecret: t('signIn.secret') },
    required: ['serverUrl', 'clientId', 'clientSecret'],
    submit: (v) => signIn({ serverUrl: v.serverUrl.trim(), clientId: v.clientId.trim(), clientSecret: v.clientSecret }),
  });
  return (
    <Form form={form} submitLabel={t('signIn.submit')}>
      {/* The desktop app calls only the server chosen in Settings (its CSP allows that one): nothing to type here. */}
      {inDesktopApp()
        ? <p className="field-hint">{t('signIn.serverUrlDesktop')} <span className="mono">{defaultServerUrl()}</span></p>
        : <TextField name="serverUrl" type="url" mono hint={t('signIn.serverUrlBrowser')} />}
      <TextField name="clientId" autoFocus mono placeholder="ck_…" />
      <TextField name="clientSecret" type="password" mono placeholder="cs_…" hint={t('signIn.secretHint')} />
    </Form>
  );
}

export function SignInScreen() {
  const { t } = useTranslation();
  const { endedBecause, resuming } = useSession();
  const [withCredential, setWithCredential] = useState(false);
  return (
    <SignInCard>
      <p className="muted">{withCredential ? t('signIn.intro') : t('signIn.personIntro')}</p>
      {endedBecause && <p className="notice notice-warn" role="status">{endedBecause}</p>}
      {resuming ? <p className="muted" role="status">{t('signIn.resuming')}</p> : withCredential ? <CredentialForm /> : <PersonForm />}
      <p>
        <button type="button" className="btn btn-small" onClick={() => setWithCredential(!withCredential)}>
          {withCredential ? t('signIn.asPerson') : t('signIn.withCredential')}
        </button>
      </p>
    </SignInCard>
  );
}
