// The console's language: the OS's (navigator.languages) until staff choose
// one in the sidebar, which is kept; <html lang> follows; a screen reads in
// French with French dates, money and numbers (Intl), and in English.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import { ClientSchema, ClientService } from '@gen/reseller/v1/clients_pb.js';
import { DeviceService } from '@gen/reseller/v1/devices_pb.js';
import { createI18n, detectLanguage, LANGUAGE_KEY } from '../src/i18n/index.ts';
import { ChargesScreen } from '../src/screens/devices/ChargesScreen.tsx';
import { ClientsScreen } from '../src/screens/clients/ClientsScreen.tsx';
import { LanguageSwitch } from '../src/ui/LanguageSwitch.tsx';
import { renderWithApi } from './render.tsx';

afterEach(() => vi.restoreAllMocks());

describe('language', () => {
  it('follows the OS until staff choose, then keeps their choice', () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['fr-CA', 'en-US']);
    expect(detectLanguage()).toBe('fr');
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['de-DE', 'en-GB']);
    expect(detectLanguage()).toBe('en');
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['de-DE']);
    expect(detectLanguage()).toBe('en');
    localStorage.setItem(LANGUAGE_KEY, 'fr');
    expect(detectLanguage()).toBe('fr');
  });

  it('the switch changes the language on screen and <html lang>, and remembers it', async () => {
    const i18n = createI18n('en');
    render(<I18nextProvider i18n={i18n}><LanguageSwitch /></I18nextProvider>);
    expect(document.documentElement.lang).toBe('en');
    await userEvent.selectOptions(screen.getByLabelText('Language'), 'Français');
    await waitFor(() => expect(screen.getByLabelText('Langue')).toBeTruthy());
    expect(document.documentElement.lang).toBe('fr');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('fr');
  });

  it('a list in French: headers, words, dates and numbers in French', async () => {
    renderWithApi(<ClientsScreen />, (router) => {
      router.service(AccessService, { listResellers: () => ({ resellers: [] }) });
      router.service(ClientService, {
        listClients: () => ({
          clients: [create(ClientSchema, { clientId: 'c1', name: 'Boulangerie Lefèvre', code: 'BL-1', status: 1, equipmentCount: 1234, createTime: timestampFromDate(new Date(2026, 10, 24, 14, 30)) })],
        }),
      });
    }, { language: 'fr' });
    const table = await screen.findByRole('table', { name: 'Clients' });
    expect(screen.getByRole('heading', { name: 'Clients', level: 1 })).toBeTruthy();
    expect(within(table).getByRole('columnheader', { name: /Équipements/ })).toBeTruthy();
    const row = within(table).getAllByRole('row')[1]!;
    expect(row.textContent).toContain('Actif');
    expect(row.textContent).toMatch(/1\s234/); // French grouping (a narrow no-break space)
    expect(row.textContent).toContain('24 nov. 2026');
    expect(screen.getByRole('button', { name: 'Exporter en CSV' })).toBeTruthy();
  });

  it('money in each language', async () => {
    const eur = (amountMinor: bigint) => ({ amountMinor, currency: 'EUR' });
    for (const [language, text] of [['fr', 'Total EUR : 98,00\u00a0€'], ['en', 'Total EUR: €98.00']] as const) {
      const { unmount } = renderWithApi(<ChargesScreen />, (router) => {
        router.service(AccessService, { listResellers: () => ({ resellers: [] }) });
        router.service(DeviceService, { listCharges: () => ({ charges: [], totals: [eur(9800n)] }) });
      }, { language });
      await waitFor(() => expect(screen.getByTestId('total-EUR').textContent).toBe(text));
      unmount();
    }
  });
});
