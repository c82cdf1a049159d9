// Sign in with an API credential (a staff one, to see every reseller). The
// secret and the token it buys stay in memory: closing the window signs out.
import { useSession } from '../api/session.tsx';
import { defaultServerUrl, inDesktopApp } from '../config.ts';
import { Form, TextField, useForm } from '../ui/form.tsx';

export function SignInScreen() {
  const { signIn, endedBecause } = useSession();
  const form = useForm({
    initial: { serverUrl: defaultServerUrl(), clientId: '', clientSecret: '' },
    labels: { serverUrl: 'Server URL', clientId: 'Client id', clientSecret: 'Secret' },
    required: ['serverUrl', 'clientId', 'clientSecret'],
    submit: (v) => signIn({ serverUrl: v.serverUrl.trim(), clientId: v.clientId.trim(), clientSecret: v.clientSecret }),
  });
  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <h1>Reseller console</h1>
        <p className="muted">Sign in with a staff credential (admin or support).</p>
        {endedBecause && <p className="notice notice-warn" role="status">{endedBecause}</p>}
        <Form form={form} submitLabel="Sign in">
          <TextField name="serverUrl" type="url" mono
            hint={inDesktopApp() ? 'The server this app was started for (SERVER_URL).' : 'The server that serves this page.'} />
          <TextField name="clientId" autoFocus mono placeholder="ck_…" />
          <TextField name="clientSecret" type="password" mono placeholder="cs_…"
            hint="Kept in memory only, to renew your session before it expires." />
        </Form>
      </div>
    </main>
  );
}
