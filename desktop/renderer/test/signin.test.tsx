// Signing in: as a person (e-mail, password, code) by default, or with an API
// credential; the fields are required, the server's refusal is shown with its
// reason, and a success opens the console. Nothing is written to storage.
import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SessionProvider, useSession } from '../src/api/session.tsx';
import { SignInScreen } from '../src/screens/SignInScreen.tsx';
import { errorNextTo } from './render.tsx';

function Gate() {
  const { session } = useSession();
  return session ? <p>Signed in as {session.clientId}</p> : <SignInScreen />;
}

async function withCredential() {
  render(<SessionProvider><Gate /></SessionProvider>);
  await userEvent.click(await screen.findByRole('button', { name: 'Use an API credential instead' }));
}

describe('sign in', () => {
  it('as a person: asks for the e-mail, the password and the code before calling the server', async () => {
    render(<SessionProvider><Gate /></SessionProvider>);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(errorNextTo(screen.getByLabelText(/^E-mail/))).toBe('E-mail is required');
    expect(errorNextTo(screen.getByLabelText(/^Password/))).toBe('Password is required');
    expect(errorNextTo(screen.getByLabelText(/^Code/))).toBe('Code is required');
    expect(screen.queryByLabelText(/^Secret/)).toBeNull();
    expect(localStorage.length + sessionStorage.length).toBe(0);
  });

  it('asks for every field before calling the server', async () => {
    await withCredential();
    const url = screen.getByLabelText(/^Server URL/);
    expect((url as HTMLInputElement).value).toBe(window.location.origin);
    await userEvent.clear(url);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(errorNextTo(url)).toBe('Server URL is required');
    expect(errorNextTo(screen.getByLabelText(/^Client id/))).toBe('Client id is required');
    expect(errorNextTo(screen.getByLabelText(/^Secret/))).toBe('Secret is required');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says when the server cannot be reached, and stays on the form', async () => {
    await withCredential();
    const url = screen.getByLabelText(/^Server URL/);
    await userEvent.clear(url);
    await userEvent.type(url, 'http://127.0.0.1:9');
    await userEvent.type(screen.getByLabelText(/^Client id/), 'ck_admin');
    await userEvent.type(screen.getByLabelText(/^Secret/), 'cs_secret');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(within(alert).getByText('Server unreachable')).toBeTruthy();
    expect(alert.textContent).toMatch(/Could not reach the server/);
    expect(localStorage.length + sessionStorage.length).toBe(0);
  });
});
