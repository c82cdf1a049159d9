// The console: session first, then the router over the route table.
import { useState } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { SessionProvider } from './api/session.tsx';
import { HOME, screens } from './routes.tsx';
import { Shell } from './Shell.tsx';
import { NotFoundScreen } from './screens/NotFoundScreen.tsx';

/** Served at /console/ by the server, and at app://console/console/ in Electron. */
export const BASENAME = '/console';

export function createRouter() {
  return createBrowserRouter([
    {
      path: '/',
      element: <Shell />,
      children: [
        { index: true, element: <Navigate to={HOME} replace /> },
        ...screens.map(({ path, element }) => ({ path, element })),
        { path: '*', element: <NotFoundScreen /> },
      ],
    },
  ], { basename: BASENAME });
}

/** Tests pass their own router (a memory router, for example). */
export function App({ router }: { router?: ReturnType<typeof createRouter> }) {
  const [current] = useState(() => router ?? createRouter());
  return (
    <SessionProvider>
      <RouterProvider router={current} />
    </SessionProvider>
  );
}
