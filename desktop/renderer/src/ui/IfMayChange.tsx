// Actions that change something are offered only to a credential that may
// change things: a support credential sees every screen without them.
import type { ReactNode } from 'react';
import { useMayChange } from '../api/session.tsx';

export function IfMayChange({ children }: { children: ReactNode }) {
  return useMayChange() ? <>{children}</> : null;
}
