// The frame around every screen once signed in: the sidebar (built from the
// route table), the language, who is signed in where, and sign-out. Signed
// out, it shows the sign-in screen instead, whatever the address, and the
// address survives. A support credential sees every screen with no action
// that changes anything.
//
// On a narrow window (the desktop app's minimum is 1024 px) the sidebar is
// folded away behind a Menu button and opens over the content; on a wide one
// staff may fold it too. A thin bar at the top shows while anything loads.
import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { QueryClientProvider, useIsFetching } from '@tanstack/react-query';
import { TransportProvider } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { Role } from '@gen/reseller/v1/access_pb.js';
import { useSession } from './api/session.tsx';
import { tr, type MessageKey } from './i18n/keys.ts';
import { navSectionLabels, navSections, screens } from './routes.tsx';
import { LanguageSwitch } from './ui/LanguageSwitch.tsx';
import { NotificationsProvider } from './ui/Notifications.tsx';
import { SignInScreen } from './screens/SignInScreen.tsx';
import { desktopSettings, FirstStartScreen, useServerSetting } from './screens/settings/SettingsScreen.tsx';

// Staff roles only: a reseller's credential is turned away at sign-in.
const roleLabels: Partial<Record<Role, MessageKey>> = {
  [Role.ADMIN]: 'shell.roles.admin',
  [Role.SUPPORT]: 'shell.roles.support',
};

const NARROW = '(max-width: 1199px)';
const SIDEBAR_KEY = 'console.sidebarFolded';

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia?.(NARROW).matches ?? false);
  useEffect(() => {
    const query = window.matchMedia?.(NARROW);
    if (!query) return;
    const change = () => setNarrow(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, []);
  return narrow;
}

function storedFolded(): boolean | undefined {
  try {
    const value = localStorage.getItem(SIDEBAR_KEY);
    return value === null ? undefined : value === 'true';
  } catch {
    return undefined;
  }
}

/** The thin bar at the top while any read is on its way. */
function ProgressBar() {
  const { t } = useTranslation();
  const fetching = useIsFetching();
  if (fetching === 0) return null;
  return <div className="progress-bar" role="progressbar" aria-label={t('shell.loading')} aria-busy="true" />;
}

export function Shell() {
  const { session, signOut } = useSession();
  const { t } = useTranslation();
  const narrow = useNarrow();
  const [foldedChoice, setFoldedChoice] = useState(storedFolded);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  const settingsApi = desktopSettings();
  const server = useServerSetting(settingsApi);
  const folded = narrow || (foldedChoice ?? false);
  // Following a link closes the drawer.
  useEffect(() => setDrawerOpen(false), [location.pathname]);
  useEffect(() => {
    if (!drawerOpen) return;
    const onKey = (event: KeyboardEvent) => { if (event.key === 'Escape') setDrawerOpen(false); };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [drawerOpen]);
  // The desktop app's first start: a server is chosen (and checked) before anyone signs in.
  if (!session && settingsApi && server && !server.configured) return <FirstStartScreen api={settingsApi} />;
  if (!session) return <SignInScreen />;
  const fold = (value: boolean) => {
    setFoldedChoice(value);
    setDrawerOpen(false);
    try { localStorage.setItem(SIDEBAR_KEY, String(value)); } catch { /* this window only */ }
  };
  const sidebarShown = !folded || drawerOpen;
  return (
    <TransportProvider transport={session.transport}>
      <QueryClientProvider client={session.queryClient}>
        <NotificationsProvider>
          <a className="skip-link" href="#content">{t('shell.skipToContent')}</a>
          <ProgressBar />
          <div className={folded ? 'shell shell-folded' : 'shell'}>
            {folded && (
              <header className="topbar">
                <button type="button" className="btn btn-small" aria-expanded={drawerOpen} aria-controls="sidebar"
                  onClick={() => setDrawerOpen((open) => !open)}>☰ {t('shell.menu')}</button>
                <p className="brand">{t('shell.brand')}</p>
                {!narrow && <button type="button" className="btn btn-small btn-ghost" onClick={() => fold(false)}>{t('shell.pin')}</button>}
              </header>
            )}
            {folded && drawerOpen && <div className="drawer-backdrop" onClick={() => setDrawerOpen(false)} aria-hidden="true" />}
            <aside id="sidebar" className={folded ? 'sidebar sidebar-drawer' : 'sidebar'} hidden={!sidebarShown}>
              <p className="brand">{t('shell.brand')}</p>
              <nav aria-label={t('shell.screens')}>
                {navSections.map((section) => {
                  const items = screens.filter((s) => s.nav?.section === section);
                  if (items.length === 0) return null;
                  return (
                    <div key={section} className="nav-section">
                      <p className="nav-heading">{tr(t, navSectionLabels[section])}</p>
                      <ul>
                        {/* The bare path: following it resets the list's filters and page. */}
                        {items.map((s) => <li key={s.path}><NavLink to={`/${s.path}`}>{tr(t, s.nav!.label)}</NavLink></li>)}
                      </ul>
                    </div>
                  );
                })}
              </nav>
              <div className="whoami">
                <LanguageSwitch dark />
                <p className="muted">{t('shell.signedInAs')}</p>
                {session.personName ? <p>{session.personName} <span className="muted small">{session.clientId}</span></p> : <p><code>{session.clientId}</code></p>}
                <p className="muted small">{roleLabels[session.role] ? tr(t, roleLabels[session.role]!) : t('shell.roles.unknown')}</p>
                <p className="muted small">{session.serverUrl}</p>
                <div className="whoami-actions">
                  <button type="button" className="btn btn-small" onClick={() => signOut()}>{t('shell.signOut')}</button>
                  {!narrow && !folded && <button type="button" className="btn btn-small btn-ghost-dark" onClick={() => fold(true)}>{t('shell.fold')}</button>}
                </div>
              </div>
            </aside>
            <main id="content" className="content" tabIndex={-1}>
              <Outlet />
            </main>
          </div>
        </NotificationsProvider>
      </QueryClientProvider>
    </TransportProvider>
  );
}
