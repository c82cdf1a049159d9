// Issues a credential, then shows its secret: once, with a copy button, and
// with no way back to it after the dialog closes (the server keeps a hash).
import { useState } from 'react';
import { useMutation } from '@connectrpc/connect-query';
import { AccessService, Role, type CreateCredentialResponse } from '@gen/reseller/v1/access_pb.js';
import { newRequestId, useInvalidate } from '../../api/lists.ts';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import { Form, SelectField, TextField, useForm } from '../../ui/form.tsx';
import { resellerOptions, useResellerChoices } from '../resellers/resellers.ts';
import { roleOptions } from './roles.ts';

export function NewCredentialDialog({ resellerId, onClose }: { resellerId: string; onClose: () => void }) {
  const [requestId] = useState(newRequestId);
  const [issued, setIssued] = useState<CreateCredentialResponse>();
  const resellers = useResellerChoices();
  const invalidate = useInvalidate(AccessService);
  const create = useMutation(AccessService.method.createCredential);
  const form = useForm({
    initial: { role: String(Role.RESELLER), resellerId, displayName: '' },
    labels: { role: 'Role', resellerId: 'Reseller', displayName: 'Name' },
    required: ['displayName'],
    submit: async (v) => {
      const role = Number(v.role) as Role;
      const answer = await create.mutateAsync({ role, resellerId: role === Role.RESELLER ? v.resellerId : '', displayName: v.displayName, requestId });
      await invalidate();
      setIssued(answer);
    },
  });

  if (issued) return <SecretDialog issued={issued} onClose={onClose} />;
  const forReseller = form.values.role === String(Role.RESELLER);
  return (
    <Dialog title="New credential" onClose={onClose}>
      <Form form={form} submitLabel="Issue credential" onCancel={onClose}>
        <SelectField name="role" options={roleOptions} />
        {forReseller && <SelectField name="resellerId" options={resellerOptions(resellers.data?.resellers ?? [], 'Choose a reseller…')} />}
        {resellers.isError && <ErrorNotice error={resellers.error} title="Could not load the resellers to choose from" />}
        <TextField name="displayName" autoFocus hint="To recognise it later, for example “Acme billing sync”." />
      </Form>
    </Dialog>
  );
}

function SecretDialog({ issued, onClose }: { issued: CreateCredentialResponse; onClose: () => void }) {
  const credential = issued.credential!;
  return (
    <Dialog title="Credential issued" onClose={onClose} wide>
      {issued.clientSecret ? (
        <p className="notice notice-warn">Copy the secret now: it is shown this once and cannot be shown again.</p>
      ) : (
        <p className="notice notice-warn">This credential was already issued by an earlier attempt; its secret was shown then and cannot be shown again.</p>
      )}
      <dl className="facts facts-wide">
        <dt>Name</dt><dd>{credential.displayName}</dd>
        <dt>Client id</dt>
        <dd><code data-testid="issued-client-id">{credential.clientId}</code> <CopyButton text={credential.clientId} what="client id" /></dd>
        {issued.clientSecret && <>
          <dt>Secret</dt>
          <dd><code className="secret" data-testid="issued-secret">{issued.clientSecret}</code> <CopyButton text={issued.clientSecret} what="secret" /></dd>
        </>}
      </dl>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus>I have stored the secret</button>
      </div>
    </Dialog>
  );
}
