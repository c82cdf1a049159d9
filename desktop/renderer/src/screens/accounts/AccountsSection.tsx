// The accounts and families of a client, on its detail page. The API has no
// list of them: the page shows the ones it knows — founded, created or found
// here (SearchAccount by email, MSISDN or login), and the members of the
// families it shows — and keeps their ids while it is open.
import { useState } from 'react';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { ClientStatus, type Client } from '@gen/reseller/v1/clients_pb.js';
import {
  AccountRole, FamilyRight, IdentifierType, ProvisioningService, type Account, type FamilyMember,
} from '@gen/reseller/v1/provisioning_pb.js';
import { formatTime, shortId } from '../../api/format.ts';
import { newRequestId, useInvalidate } from '../../api/lists.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { Form, SelectField, TextField, useForm, type Option } from '../../ui/form.tsx';
import { Empty, QueryView } from '../../ui/States.tsx';
import { DevicesPanel } from '../devices/DevicesPanel.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';

export const identifierTypeOptions: Option[] = [
  { value: String(IdentifierType.EMAIL), label: 'Email' },
  { value: String(IdentifierType.MSISDN), label: 'MSISDN (phone number)' },
  { value: String(IdentifierType.LOGIN), label: 'Login' },
];
export const rightLabels: Record<FamilyRight, string> = {
  [FamilyRight.UNSPECIFIED]: 'Member', [FamilyRight.NONE]: 'Member', [FamilyRight.ADMIN]: 'Admin', [FamilyRight.SUPER_ADMIN]: 'Super admin',
};
const rightOptions: Option[] = [FamilyRight.NONE, FamilyRight.ADMIN, FamilyRight.SUPER_ADMIN].map((r) => ({ value: String(r), label: rightLabels[r] }));
export const roleLabels: Record<AccountRole, string> = {
  [AccountRole.UNSPECIFIED]: '', [AccountRole.CUSTOMER_USER_UC]: 'UC user', [AccountRole.CUSTOMER_USER_UC_SOFTPHONE]: 'UC softphone user',
};
const ROLES = [AccountRole.CUSTOMER_USER_UC, AccountRole.CUSTOMER_USER_UC_SOFTPHONE];

function accountName(a: Account): string {
  return a.firstName ? `${a.firstName} (${a.identifier})` : a.identifier;
}

export function AccountsSection({ client }: { client: Client }) {
  const [familyIds, setFamilyIds] = useState<string[]>([]);
  const [accountIds, setAccountIds] = useState<string[]>([]);
  const [dialog, setDialog] = useState<'found' | 'find'>();
  const [notice, setNotice] = useState('');
  const active = client.status === ClientStatus.ACTIVE;
  const add = (list: string[], id: string) => (list.includes(id) ? list : [...list, id]);
  const know = { family: (id: string) => setFamilyIds((l) => add(l, id)), account: (id: string) => setAccountIds((l) => add(l, id)) };
  const forget = {
    family: (id: string) => setFamilyIds((l) => l.filter((x) => x !== id)),
    account: (id: string) => setAccountIds((l) => l.filter((x) => x !== id)),
  };
  const onDeleted = (message: string, families: string[], accounts: string[]) => {
    setNotice(message);
    setFamilyIds((l) => l.filter((x) => !families.includes(x)));
    setAccountIds((l) => l.filter((x) => !accounts.includes(x)));
  };
  return (
    <div className="accounts">
      <div className="section-actions">
        <IfMayChange><button type="button" className="btn" onClick={() => setDialog('found')} disabled={!active}>Found a family</button></IfMayChange>
        <button type="button" className="btn" onClick={() => setDialog('find')}>Find account</button>
      </div>
      {notice && <p className="notice" role="status">{notice} <button type="button" className="link-button" onClick={() => setNotice('')}>Dismiss</button></p>}
      {familyIds.length === 0 && accountIds.length === 0 && (
        <Empty><p>The API lists no accounts: found a family, or find an account by its email, MSISDN or login, to work on it here.</p></Empty>
      )}
      {familyIds.map((id) => (
        <FamilyCard key={id} client={client} familyId={id} onOpenAccount={know.account} onCreated={know.account}
          onForget={() => forget.family(id)} onDeleted={onDeleted} />
      ))}
      {accountIds.map((id) => (
        <AccountCard key={id} client={client} accountId={id} knownFamilies={familyIds} onOpenFamily={know.family}
          onForget={() => forget.account(id)} onDeleted={onDeleted} />
      ))}
      {dialog === 'found' && <FoundFamilyDialog clientId={client.clientId} onClose={() => setDialog(undefined)}
        onFounded={(familyId, accountId) => { know.family(familyId); know.account(accountId); setDialog(undefined); }} />}
      {dialog === 'find' && <FindAccountDialog clientId={client.clientId} onClose={() => setDialog(undefined)}
        onFound={(account) => { know.account(account.accountId); account.families.forEach((f) => know.family(f.familyId)); setDialog(undefined); }} />}
    </div>
  );
}

function FamilyCard({ client, familyId, onOpenAccount, onCreated, onForget, onDeleted }: {
  client: Client; familyId: string;
  onOpenAccount: (id: string) => void; onCreated: (id: string) => void; onForget: () => void;
  onDeleted: (message: string, families: string[], accounts: string[]) => void;
}) {
  const [creating, setCreating] = useState(false);
  const query = useQuery(ProvisioningService.method.getFamily, { familyId });
  const invalidate = useInvalidate(ProvisioningService);
  const remove = useMutation(ProvisioningService.method.removeAccountFromFamily);
  const del = useMutation(ProvisioningService.method.deleteFamily);
  const active = client.status === ClientStatus.ACTIVE;
  return (
    <article className="card" aria-label={`Family ${query.data?.family?.name ?? shortId(familyId)}`}>
      <QueryView query={query} what="the family">
        {({ family }) => {
          const f = family!;
          const columns: Column<FamilyMember>[] = [
            { header: 'Account', cell: (m) => <button type="button" className="link-button" onClick={() => onOpenAccount(m.account!.accountId)}>{accountName(m.account!)}</button> },
            { header: 'Right', cell: (m) => rightLabels[m.right] },
            { header: 'Role', cell: (m) => m.role },
            { header: 'Joined', cell: (m) => formatTime(m.joinTime), className: 'nowrap' },
            {
              header: 'Actions', changes: true,
              cell: (m) => (
                <ConfirmButton small label="Remove" accessibleLabel={`Remove ${accountName(m.account!)} from ${f.name}`} title={`Remove ${accountName(m.account!)} from ${f.name}?`}
                  confirmLabel="Remove from family" disabled={!active}
                  onConfirm={async () => { await remove.mutateAsync({ accountId: m.account!.accountId, familyId }); await invalidate(); }}>
                  <p>The account leaves the family; the account itself is kept.</p>
                </ConfirmButton>
              ),
            },
          ];
          return (
            <>
              <div className="subsection-header">
                <h3>Family {f.name}</h3>
                <span className="section-actions">
                  <IfMayChange><button type="button" className="btn btn-small" onClick={() => setCreating(true)} disabled={!active}>Create account</button></IfMayChange>
                  <ConfirmButton small label="Delete family" accessibleLabel={`Delete family ${f.name}`} title={`Delete family ${f.name}?`} confirmLabel="Delete family" disabled={!active}
                    onConfirm={async () => {
                      const answer = await del.mutateAsync({ familyId });
                      await invalidate();
                      onDeleted(`Family ${f.name} deleted${answer.deletedAccountIds.length ? `, and with it the accounts that belonged to no other family: ${answer.deletedAccountIds.join(', ')}` : '; no account was deleted with it'}.`,
                        [familyId], answer.deletedAccountIds);
                    }}>
                    <p>The family is deleted for good. Its members that belong to no other family are deleted with it.</p>
                  </ConfirmButton>
                </span>
              </div>
              <p className="muted">Family id <code>{f.familyId}</code></p>
              {f.members.length === 0 ? <p>No members.</p>
                : <DataTable caption={`Members of ${f.name}`} columns={columns} rows={f.members} rowKey={(m) => m.account!.accountId} />}
              {creating && <CreateAccountDialog familyId={familyId} familyName={f.name} onClose={() => setCreating(false)}
                onCreated={(id) => { onCreated(id); setCreating(false); }} />}
            </>
          );
        }}
      </QueryView>
      {query.isError && <button type="button" className="btn btn-small" onClick={onForget}>Forget this family</button>}
    </article>
  );
}

function AccountCard({ client, accountId, knownFamilies, onOpenFamily, onForget, onDeleted }: {
  client: Client; accountId: string; knownFamilies: string[];
  onOpenFamily: (id: string) => void; onForget: () => void;
  onDeleted: (message: string, families: string[], accounts: string[]) => void;
}) {
  const [adding, setAdding] = useState(false);
  const query = useQuery(ProvisioningService.method.getAccount, { accountId });
  const invalidate = useInvalidate(ProvisioningService);
  const grant = useMutation(ProvisioningService.method.grantRole);
  const revoke = useMutation(ProvisioningService.method.revokeRole);
  const del = useMutation(ProvisioningService.method.deleteAccount);
  const active = client.status === ClientStatus.ACTIVE;
  return (
    <article className="card" aria-label={`Account ${query.data?.account ? accountName(query.data.account) : shortId(accountId)}`}>
      <QueryView query={query} what="the account">
        {({ account }) => {
          const a = account!;
          const name = accountName(a);
          return (
            <>
              <div className="subsection-header">
                <h3>Account {name}</h3>
                <span className="section-actions">
                  <IfMayChange><button type="button" className="btn btn-small" onClick={() => setAdding(true)} disabled={!active}>Add to family</button></IfMayChange>
                  <ConfirmButton small label="Delete account" accessibleLabel={`Delete account ${name}`} title={`Delete account ${name}?`} confirmLabel="Delete account" disabled={!active}
                    onConfirm={async () => {
                      const answer = await del.mutateAsync({ accountId });
                      await invalidate();
                      onDeleted(`Account ${name} deleted${answer.deletedFamilyIds.length ? `, and with it the families it left empty: ${answer.deletedFamilyIds.join(', ')}` : '; no family was deleted with it'}.`,
                        answer.deletedFamilyIds, [accountId]);
                    }}>
                    <p>The account is deleted for good, with its devices. A family it leaves without members is deleted too.</p>
                  </ConfirmButton>
                </span>
              </div>
              <dl className="facts">
                <dt>Account id</dt><dd><code>{a.accountId}</code></dd>
                <dt>Identifier</dt><dd>{a.identifier} <span className="muted">({IdentifierType[a.identifierType].toLowerCase()})</span></dd>
                <dt>Locale</dt><dd>{a.locale}</dd>
                <dt>Families</dt>
                <dd>{a.families.length === 0 ? 'none' : a.families.map((f) => (
                  <span key={f.familyId}>
                    <button type="button" className="link-button" onClick={() => onOpenFamily(f.familyId)}>{f.familyName}</button> ({rightLabels[f.right]}){' '}
                  </span>
                ))}</dd>
                <dt>Roles</dt>
                <dd className="row-actions">
                  {ROLES.map((role) => a.roles.includes(role) ? (
                    <ConfirmButton key={role} small label={`Revoke ${roleLabels[role]}`} title={`Revoke ${roleLabels[role]} from ${name}?`} confirmLabel="Revoke role" disabled={!active}
                      onConfirm={async () => { await revoke.mutateAsync({ accountId, role }); await invalidate(); }}>
                      <p>The account loses the {roleLabels[role]} role.</p>
                    </ConfirmButton>
                  ) : (
                    <IfMayChange key={role}>
                      <button type="button" className="btn btn-small" disabled={!active}
                        onClick={() => void grant.mutateAsync({ accountId, role }).then(invalidate)}>Grant {roleLabels[role]}</button>
                    </IfMayChange>
                  ))}
                  {a.roles.map((r) => <Badge key={r} tone="info">{roleLabels[r]}</Badge>)}
                </dd>
              </dl>
              {(grant.error || revoke.error) && <p className="notice notice-warn" role="alert">{String((grant.error ?? revoke.error)?.message)}</p>}
              <DevicesPanel client={client} accountId={accountId} accountName={name} />
              {adding && <AddToFamilyDialog accountId={accountId} knownFamilies={knownFamilies.filter((id) => !a.families.some((f) => f.familyId === id))}
                onClose={() => setAdding(false)} onAdded={(familyId) => { onOpenFamily(familyId); setAdding(false); }} />}
            </>
          );
        }}
      </QueryView>
      {query.isError && <button type="button" className="btn btn-small" onClick={onForget}>Forget this account</button>}
    </article>
  );
}

function FoundFamilyDialog({ clientId, onClose, onFounded }: { clientId: string; onClose: () => void; onFounded: (familyId: string, accountId: string) => void }) {
  const [requestId] = useState(newRequestId);
  const found = useMutation(ProvisioningService.method.foundFamily);
  const form = useForm({
    initial: { familyName: '', identifierType: String(IdentifierType.EMAIL), identifier: '', firstName: '', locale: 'fr_FR', role: '' },
    labels: { familyName: 'Family name', identifierType: 'Identifier type', identifier: 'Identifier', firstName: 'First name', locale: 'Locale', role: 'Role in the family' },
    required: ['familyName', 'identifier', 'firstName', 'locale'],
    reasonFields: { IDENTIFIER_TAKEN: 'identifier', ACCOUNT_EXISTS: 'identifier', INVALID_EMAIL: 'identifier', INVALID_MSISDN: 'identifier', INVALID_IDENTIFIER: 'identifier' },
    submit: async (v) => {
      const answer = await found.mutateAsync({ clientId, familyName: v.familyName, identifierType: Number(v.identifierType), identifier: v.identifier,
        firstName: v.firstName, locale: v.locale, role: v.role, requestId });
      onFounded(answer.family!.familyId, answer.account!.accountId);
    },
  });
  return (
    <Dialog title="Found a family" onClose={onClose}>
      <Form form={form} submitLabel="Found family" onCancel={onClose}>
        <TextField name="familyName" autoFocus hint="For example “Martin household”." />
        <p className="field-hint">Its founder, a new account, becomes its super admin:</p>
        <SelectField name="identifierType" options={identifierTypeOptions} />
        <TextField name="identifier" mono hint="An email, an MSISDN (+33612345678) or a login, unique for the client." />
        <TextField name="firstName" />
        <TextField name="locale" mono hint="language_COUNTRY, for example fr_FR." />
        <TextField name="role" hint="Optional, free text: “parent”, “manager”…" />
      </Form>
    </Dialog>
  );
}

function CreateAccountDialog({ familyId, familyName, onClose, onCreated }: { familyId: string; familyName: string; onClose: () => void; onCreated: (accountId: string) => void }) {
  const [requestId] = useState(newRequestId);
  const invalidate = useInvalidate(ProvisioningService);
  const create = useMutation(ProvisioningService.method.createAccount);
  const form = useForm({
    initial: { identifierType: String(IdentifierType.EMAIL), identifier: '', firstName: '', locale: 'fr_FR', right: String(FamilyRight.NONE), role: '' },
    labels: { identifierType: 'Identifier type', identifier: 'Identifier', firstName: 'First name', locale: 'Locale', right: 'Right in the family', role: 'Role in the family' },
    required: ['identifier', 'firstName', 'locale'],
    reasonFields: { IDENTIFIER_TAKEN: 'identifier', ACCOUNT_EXISTS: 'identifier', INVALID_EMAIL: 'identifier', INVALID_MSISDN: 'identifier', INVALID_IDENTIFIER: 'identifier' },
    submit: async (v) => {
      const answer = await create.mutateAsync({ familyId, identifierType: Number(v.identifierType), identifier: v.identifier, firstName: v.firstName,
        locale: v.locale, right: Number(v.right), role: v.role, requestId });
      await invalidate();
      onCreated(answer.account!.accountId);
    },
  });
  return (
    <Dialog title={`Create account in ${familyName}`} onClose={onClose}>
      <Form form={form} submitLabel="Create account" onCancel={onClose}>
        <SelectField name="identifierType" options={identifierTypeOptions} autoFocus />
        <TextField name="identifier" mono />
        <TextField name="firstName" />
        <TextField name="locale" mono hint="language_COUNTRY, for example fr_FR." />
        <SelectField name="right" options={rightOptions} />
        <TextField name="role" hint="Optional, free text." />
      </Form>
    </Dialog>
  );
}

function AddToFamilyDialog({ accountId, knownFamilies, onClose, onAdded }: { accountId: string; knownFamilies: string[]; onClose: () => void; onAdded: (familyId: string) => void }) {
  const invalidate = useInvalidate(ProvisioningService);
  const add = useMutation(ProvisioningService.method.addAccountToFamily);
  const form = useForm({
    initial: { familyId: knownFamilies[0] ?? '', right: String(FamilyRight.NONE), role: '' },
    labels: { familyId: 'Family id', right: 'Right in the family', role: 'Role in the family' },
    required: ['familyId'],
    reasonFields: { FAMILY_NOT_FOUND: 'familyId', ALREADY_MEMBER: 'familyId' },
    submit: async (v) => {
      await add.mutateAsync({ accountId, familyId: v.familyId.trim(), right: Number(v.right), role: v.role });
      await invalidate();
      onAdded(v.familyId.trim());
    },
  });
  return (
    <Dialog title="Add to family" onClose={onClose}>
      <Form form={form} submitLabel="Add to family" onCancel={onClose}>
        <TextField name="familyId" mono autoFocus hint="A family of the same client (its id is shown on its card)." />
        <SelectField name="right" options={rightOptions} />
        <TextField name="role" hint="Optional, free text." />
      </Form>
    </Dialog>
  );
}

function FindAccountDialog({ clientId, onClose, onFound }: { clientId: string; onClose: () => void; onFound: (account: Account) => void }) {
  const form = useForm({
    initial: { identifierType: String(IdentifierType.EMAIL), identifier: '' },
    labels: { identifierType: 'Identifier type', identifier: 'Identifier' },
    required: ['identifier'],
    reasonFields: { ACCOUNT_NOT_FOUND: 'identifier', INVALID_EMAIL: 'identifier', INVALID_MSISDN: 'identifier', INVALID_IDENTIFIER: 'identifier' },
    submit: async (v) => {
      const answer = await search.mutateAsync({ clientId, identifierType: Number(v.identifierType), identifier: v.identifier.trim() });
      onFound(answer.account!);
    },
  });
  const search = useMutation(ProvisioningService.method.searchAccount);
  return (
    <Dialog title="Find account" onClose={onClose}>
      <Form form={form} submitLabel="Find" onCancel={onClose}>
        <SelectField name="identifierType" options={identifierTypeOptions} autoFocus />
        <TextField name="identifier" mono hint="The account's email, MSISDN or login, exactly." />
      </Form>
    </Dialog>
  );
}
