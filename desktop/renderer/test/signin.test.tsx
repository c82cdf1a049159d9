// Signing in: the three fields are required, the server's refusal is shown
// with its reason, and a success opens the console. The token lives in
// memory only: nothing is written to storage.
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

describe('sign in', () => {
  it('asks for every field before calling the server', async () => {
    render(<SessionProvider><Gate /></SessionProvider>);
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
    render(<SessionProvider><Gate /></SessionProvider>);
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
