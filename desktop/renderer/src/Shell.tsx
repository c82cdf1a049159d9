// The frame around every screen once signed in: the sidebar (built from the
// route table), who is signed in where, and sign-out. Signed out, it shows the
// sign-in screen instead, whatever the address, and the address survives.
// A support credential sees every screen with no action that changes anything.
import { NavLink, Outlet } from 'react-router';
import { QueryClientProvider } from '@tanstack/react-query';
import { TransportProvider } from '@connectrpc/connect-query';
import { Role } from '@gen/reseller/v1/access_pb.js';
import { useSession } from './api/session.tsx';
import { navSections, screens } from './routes.tsx';
import { SignInScreen } from './screens/SignInScreen.tsx';

// Staff roles only: a reseller's credential is turned away at sign-in.
const roleLabels: Partial<Record<Role, string>> = {
  [Role.ADMIN]: 'Admin',
  [Role.SUPPORT]: 'Support: reads only',
};

export function Shell() {
  const { session, signOut } = useSession();
  if (!session) return <SignInScreen />;
  return (
    <TransportProvider transport={session.transport}>
      <QueryClientProvider client={session.queryClient}>
        <a className="skip-link" href="#content">Skip to content</a>
        <div className="shell">
          <aside className="sidebar">
            <p className="brand">Reseller console</p>
            <nav aria-label="Screens">
              {navSections.map((section) => {
                const items = screens.filter((s) => s.nav?.section === section);
                if (items.length === 0) return null;
                return (
                  <div key={section} className="nav-section">
                    <p className="nav-heading">{section}</p>
                    <ul>
                      {items.map((s) => <li key={s.path}><NavLink to={`/${s.path}`}>{s.nav!.label}</NavLink></li>)}
                    </ul>
                  </div>
                );
              })}
            </nav>
            <div className="whoami">
              <p className="muted">Signed in as</p>
              <p><code>{session.clientId}</code></p>
              <p className="muted small">{roleLabels[session.role] ?? 'unknown role'}</p>
              <p className="muted small">{session.serverUrl}</p>
              <button type="button" className="btn btn-small" onClick={() => signOut()}>Sign out</button>
            </div>
          </aside>
          <main id="content" className="content" tabIndex={-1}>
            <Outlet />
          </main>
        </div>
      </QueryClientProvider>
    </TransportProvider>
  );
}
