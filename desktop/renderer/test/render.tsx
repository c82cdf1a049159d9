// Renders a screen or dialog the way the app does (transport, query cache,
// router; a signed-in session of a role when asked for), against an in-memory
// Connect server that plays the API (createRouterTransport): the components
// and the generated clients run for real, only the server is a stand-in. The
// end-to-end tests use the real one.
import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { TransportProvider } from '@connectrpc/connect-query';
import { Code, ConnectError, createRouterTransport, type ConnectRouter } from '@connectrpc/connect';
import { create } from '@bufbuild/protobuf';
import type { Role } from '@gen/reseller/v1/access_pb.js';
import { ErrorDetailSchema } from '@gen/reseller/v1/common_pb.js';
import { SessionContext } from '../src/api/session.tsx';
import { createI18n, formatLocale, type Language } from '../src/i18n/index.ts';
import { makeFormat } from '../src/i18n/format.ts';
import { NotificationsProvider } from '../src/ui/Notifications.tsx';

/** An i18n instance in one language (English unless a test asks for French). */
export function testI18n(language: Language = 'en') {
  return createI18n(language);
}

/**
 * `role`: render as a credential of that role signed in (without one, as no
 * session: everything offered). `language`: the console's language (English
 * by default). Notifications are shown as the app shows them.
 */
export function renderWithApi(element: ReactNode, api: (router: ConnectRouter) => void,
  { path = '/', route = '*', role, language = 'en' }: { path?: string; route?: string; role?: Role; language?: Language } = {}) {
  const transport = createRouterTransport(api);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const router = createMemoryRouter([{ path: route, element }], { initialEntries: [path] });
  const i18n = testI18n(language);
  const app = (
    <I18nextProvider i18n={i18n}>
      <TransportProvider transport={transport}>
        <QueryClientProvider client={queryClient}>
          <NotificationsProvider>
            <RouterProvider router={router} />
          </NotificationsProvider>
        </QueryClientProvider>
      </TransportProvider>
    </I18nextProvider>
  );
  if (role === undefined) return { ...render(app), router, i18n };
  const session = { serverUrl: 'http://127.0.0.1:8080', clientId: 'ck_test', role, transport, queryClient, token: async () => 'test-token' };
  const rendered = render(
    <SessionContext.Provider value={{ session, endedBecause: '', signIn: async () => undefined, signInAsPerson: async () => undefined, resuming: false, signOut: () => undefined }}>
      {app}
    </SessionContext.Provider>,
  );
  return { ...rendered, router, i18n };
}

/** An error as the server sends it: a code, a message, one ErrorDetail. */
export function apiError(code: Code, reason: string, message: string, violations: { field: string; description: string; reason: string }[] = []): ConnectError {
  const detail = create(ErrorDetailSchema, { reason, domain: 'test', fieldViolations: violations });
  return new ConnectError(message, code, undefined, [{ desc: ErrorDetailSchema, value: detail }]);
}

/** The message shown next to a field, through its aria-describedby. */
export function errorNextTo(field: HTMLElement): string | undefined {
  const ids = (field.getAttribute('aria-describedby') ?? '').split(' ');
  const id = ids.find((i) => i.endsWith('-error'));
  return id ? document.getElementById(id)?.textContent ?? undefined : undefined;
}

/** The English formatters the screens use (dates, money, numbers). */
export const fmt = makeFormat(formatLocale('en'));
