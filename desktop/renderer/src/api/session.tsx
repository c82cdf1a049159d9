// The signed-in session: who is signed in to which server, the transport that
// carries their token, and a query cache of their own (signing out drops it,
// so nothing read by one person is shown to the next).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Code, ConnectError, type Transport } from '@connectrpc/connect';
import { Role } from '@gen/reseller/v1/access_pb.js';
import { TokenKeeper, type Credentials } from './token.ts';
import { PersonKeeper, sessionChannel, type PersonSignIn } from './person.ts';
import { defaultServerUrl } from '../config.ts';
import { anonymousTransport, authenticatedTransport } from './transport.ts';

export interface Session {
  serverUrl: string;
  /** The API credential's client id, or the person's e-mail. */
  clientId: string;
  /** Set when a staff person signed in as themselves. */
  personName?: string;
  /** What the credential may do: a support credential reads everything and changes nothing. */
  role: Role;
  transport: Transport;
  /** A bearer token for reads outside the generated clients (the pictures the API serves by URL). */
  token: () => Promise<string>;
  queryClient: QueryClient;
}

export interface SessionContextValue {
  session: Session | null;
  /** Why the last session ended, when it was not the user's choice. */
  endedBecause: string;
  signIn(credentials: Credentials): Promise<void>;
  /** A staff person, with their password and TOTP (or recovery) code: the session outlives reloads. */
  signInAsPerson(args: PersonSignIn & { serverUrl: string }): Promise<void>;
  /** True while a kept session is being looked for, at start. */
  resuming: boolean;
  signOut(reason?: string): void;
}

/** Provided by SessionProvider; tests provide a session of a given role with it (test/render.tsx). */
export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside <SessionProvider>');
  return value;
}

/**
 * Whether the signed-in credential may change anything. The console offers
 * no action a support credential would be refused (the server refuses it
 * anyway: READ_ONLY_ROLE). Outside a session (a component tested alone): yes.
 */
export function useMayChange(): boolean {
  return useContext(SessionContext)?.session?.role !== Role.SUPPORT;
}

function retryable(failureCount: number, error: unknown): boolean {
  const code = error instanceof ConnectError ? error.code : Code.Unknown;
  return failureCount < 2 && (code === Code.Unavailable || code === Code.Unknown || code === Code.ResourceExhausted);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session | null>(null);
  const [endedBecause, setEndedBecause] = useState('');
  const [resuming, setResuming] = useState(true);
  const keeper = useRef<TokenKeeper | PersonKeeper | null>(null);
  const current = useRef<Session | null>(null);

  const signOut = useCallback((reason = '') => {
    // A person's session ends on the server too (unless it already did: then there is a reason).
    if (keeper.current instanceof PersonKeeper && !reason) void keeper.current.signOut();
    keeper.current?.stop();
    keeper.current = null;
    current.current?.queryClient.clear();
    current.current = null;
    setSession(null);
    setEndedBecause(reason);
  }, []);

  /** Makes `next` the session's token source, with a fresh query cache. */
  const begin = useCallback((next: TokenKeeper | PersonKeeper, serverUrl: string, clientId: string, personName?: string) => {
    keeper.current = next;
    // A call refused for its token means the credential is gone (revoked) or
    // the session ended: back to the sign-in screen, saying why.
    const onError = (error: unknown) => {
      if (error instanceof ConnectError && error.code === Code.Unauthenticated && keeper.current === next) {
        signOut(t('signIn.sessionEnded', { message: error.rawMessage }));
      }
    };
    const queryClient = new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: {
        queries: { retry: retryable, staleTime: 5_000, refetchOnWindowFocus: false },
        mutations: { retry: false },
      },
    });
    current.current = {
      serverUrl, clientId, personName,
      role: next.role,
      transport: authenticatedTransport(serverUrl, () => next.token()),
      token: () => next.token(),
      queryClient,
    };
    setEndedBecause('');
    setSession(current.current);
  }, [signOut, t]);

  const signIn = useCallback(async (credentials: Credentials) => {
    keeper.current?.stop();
    const serverUrl = credentials.serverUrl.replace(/\/+$/, '');
    const next = new TokenKeeper({ ...credentials, serverUrl }, anonymousTransport(serverUrl),
      (error) => signOut(t('signIn.sessionEnded', { message: error.rawMessage })));
    await next.start(); // throws the server's answer to the sign-in form
    // The console's screens are staff screens (resellers, credentials, every
    // reseller's clients): a reseller's credential would be refused on most
    // of them (STAFF_ONLY). It is turned away here, saying where it works.
    if (next.role === Role.RESELLER) {
      next.stop();
      throw new ConnectError(t('signIn.resellerRefused'), Code.PermissionDenied);
    }
    begin(next, serverUrl, credentials.clientId);
  }, [begin, signOut, t]);

  const personKeeper = useCallback((serverUrl: string) => new PersonKeeper(sessionChannel(serverUrl),
    (error) => signOut(t('signIn.sessionEnded', { message: error.rawMessage }))), [signOut, t]);

  const signInAsPerson = useCallback(async ({ serverUrl: given, ...args }: PersonSignIn & { serverUrl: string }) => {
    keeper.current?.stop();
    const serverUrl = given.replace(/\/+$/, '');
    const next = personKeeper(serverUrl);
    await next.signIn(args); // throws the server's answer to the sign-in form
    begin(next, serverUrl, next.person!.email, next.person!.displayName);
  }, [begin, personKeeper]);

  // A reload or a restart: the person's session, kept outside the page, goes on.
  useEffect(() => {
    let cancelled = false;
    const serverUrl = defaultServerUrl().replace(/\/+$/, '');
    const next = personKeeper(serverUrl);
    next.resume().then((resumed) => {
      if (!cancelled && resumed && !keeper.current) begin(next, serverUrl, next.person!.email, next.person!.displayName);
    }, () => undefined).finally(() => { if (!cancelled) setResuming(false); });
    return () => { cancelled = true; };
  }, [begin, personKeeper]);

  useEffect(() => () => keeper.current?.stop(), []);

  const value = useMemo(() => ({ session, endedBecause, signIn, signInAsPerson, resuming, signOut }),
    [session, endedBecause, signIn, signInAsPerson, resuming, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
