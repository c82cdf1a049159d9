// The accounts and families the console knows for a client. The API has no
// list of them yet (ListAccounts / ListFamilies by client come with phase 2
// of issue 19): the client's page shows the ones founded, created or found
// there, from the answers of those calls (never one read per row), kept in
// the session's query cache, so they are still listed after visiting an
// account's page and forgotten at sign-out.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Account, Family } from '@gen/reseller/v1/provisioning_pb.js';

export interface KnownAccount {
  accountId: string;
  firstName: string;
  identifier: string;
}

export interface KnownFamily {
  familyId: string;
  name: string;
}

interface Known {
  accounts: KnownAccount[];
  families: KnownFamily[];
}

const key = (clientId: string) => ['console', 'known-accounts', clientId] as const;
const empty: Known = { accounts: [], families: [] };

export function accountName(a: { firstName: string; identifier: string }): string {
  return a.firstName ? `${a.firstName} (${a.identifier})` : a.identifier;
}

export function useKnownAccounts(clientId: string) {
  const queryClient = useQueryClient();
  // Never fetched: initialData and an infinite staleTime keep the query from
  // running (a run would answer `empty` over what was just remembered).
  const { data = empty } = useQuery({
    queryKey: key(clientId), queryFn: () => queryClient.getQueryData<Known>(key(clientId)) ?? empty,
    initialData: empty, staleTime: Infinity, gcTime: Infinity,
  });
  const update = (change: (known: Known) => Known) => queryClient.setQueryData<Known>(key(clientId), (known) => change(known ?? empty));
  return {
    ...data,
    /** Remembers an answer's account, and the families it names. */
    rememberAccount(account: Account) {
      update((k) => ({
        accounts: [...k.accounts.filter((a) => a.accountId !== account.accountId), { accountId: account.accountId, firstName: account.firstName, identifier: account.identifier }],
        families: [...k.families, ...account.families.filter((f) => !k.families.some((x) => x.familyId === f.familyId)).map((f) => ({ familyId: f.familyId, name: f.familyName }))],
      }));
    },
    rememberFamily(family: Family) {
      update((k) => ({
        families: [...k.families.filter((f) => f.familyId !== family.familyId), { familyId: family.familyId, name: family.name }],
        accounts: [...k.accounts, ...family.members.flatMap((m) => (m.account && !k.accounts.some((a) => a.accountId === m.account!.accountId)
          ? [{ accountId: m.account.accountId, firstName: m.account.firstName, identifier: m.account.identifier }] : []))],
      }));
    },
    forget(ids: { families?: readonly string[]; accounts?: readonly string[] }) {
      update((k) => ({
        families: k.families.filter((f) => !ids.families?.includes(f.familyId)),
        accounts: k.accounts.filter((a) => !ids.accounts?.includes(a.accountId)),
      }));
    },
  };
}
