/// <reference types="node" />
// The desktop app's Settings screen, driven through the preload's real API
// (createApi) wired to the main process's real settings keeper
// (desktop/main/server-setting.ts): only the network is a stand-in, a fetch
// that answers GET /healthz for one server. The browser build offers nothing.
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { createApi } from '../../preload/api.ts';
import { ServerSettings } from '../../main/server-setting.ts';
import { FirstStartScreen, SettingsScreen } from '../src/screens/settings/SettingsScreen.tsx';
import type { Language } from '../src/i18n/index.ts';
import { testI18n } from './render.tsx';

/** The network: https://api.example.com is a reseller server; nothing else answers. */
const network: typeof fetch = async (input) => {
  if (String(input) === 'https://api.example.com/healthz') {
    return new Response('{"status":"ok"}', { status: 200, headers: { 'content-type': 'application/json' } });
  }
  throw new TypeError('fetch failed');
};

function desktop(saved?: string) {
  const file = { text: saved === undefined ? undefined : JSON.stringify({ serverUrl: saved }) as string | undefined };
  const keeper = new ServerSettings({ read: () => file.text, write: (text) => { file.text = text; } }, 'http://localhost:8080', network);
  const api = createApi(['--server-url=http://localhost:8080'], async (_channel, request) =>
    request.kind === 'getServer' ? keeper.get() : request.kind === 'setServer' ? keeper.set(request.url) : undefined);
  return { api: api.settings, file };
}

function show(element: React.ReactNode, language: Language = 'en') {
  return render(<I18nextProvider i18n={testI18n(language)}>{element}</I18nextProvider>);
}

describe('Settings: the server', () => {
  it('shows the server in use, keeps one that answers, and says so', async () => {
    const { api, file } = desktop('http://127.0.0.1:9000');
    show(<SettingsScreen api={api} />);
    expect(await screen.findByText('http://127.0.0.1:9000')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Server address'), 'https://api.example.com/console');
    await userEvent.click(screen.getByRole('button', { name: 'Check and save' }));
    expect((await screen.findByRole('status')).textContent).toBe('https://api.example.com answers and is saved: the console reopens on it.');
    expect(JSON.parse(file.text!)).toEqual({ serverUrl: 'https://api.example.com' });
  });

  it('shows the main process\'s verdict when a server is refused: plain http to another machine, or no answer', async () => {
    const { api, file } = desktop();
    show(<SettingsScreen api={api} />);
    expect(await screen.findByText('http://localhost:8080 (default: no server chosen yet)')).toBeTruthy();
    const field = screen.getByLabelText('Server address');
    await userEvent.type(field, 'http://api.example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Check and save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This server was not kept');
    expect(alert.textContent).toContain('must use https:// to reach another machine');
    await userEvent.clear(field);
    await userEvent.type(field, 'https://other.example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Check and save' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('No server answers at https://other.example.com'));
    expect(file.text).toBeUndefined();
  });

  it('reads in French, and opens the first start with the choice before sign-in', async () => {
    const { api } = desktop();
    show(<FirstStartScreen api={api} />, 'fr');
    expect(screen.getByText(/Choisissez le serveur revendeur/)).toBeTruthy();
    expect(await screen.findByText('http://localhost:8080 (par défaut : aucun serveur choisi)')).toBeTruthy();
    expect(screen.getByLabelText('Adresse du serveur')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Vérifier et enregistrer' })).toBeTruthy();
  });

  it('offers nothing to choose in the browser (no preload): the server is the page\'s origin', () => {
    show(<SettingsScreen api={undefined} />);
    expect(screen.getByText(/In the browser the console talks to the server that serves it/)).toBeTruthy();
    expect(screen.queryByLabelText('Server address')).toBeNull();
  });
});
