// Issues a credential, then shows its secret: once, with a copy button, and
// with no way back to it after the dialog closes (the server keeps a hash).
import { useState } from 'react';
import { useMutation } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { AccessService, Role, type CreateCredentialResponse } from '@gen/reseller/v1/access_pb.js';
import { newRequestId, useInvalidate } from '../../api/lists.ts';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import { Form, SelectField, TextField, useForm } from '../../ui/form.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { resellerOptions, useResellerChoices } from '../resellers/resellers.ts';
import { roleOptions } from './roles.ts';

export function NewCredentialDialog({ resellerId, onClose }: { resellerId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [requestId] = useState(newRequestId);
  const [issued, setIssued] = useState<CreateCredentialResponse>();
  const resellers = useResellerChoices();
  const invalidate = useInvalidate(AccessService);
  const create = useMutation(AccessService.method.createCredential);
  const form = useForm({
    initial: { role: String(Role.RESELLER), resellerId, displayName: '' },
    labels: { role: t('credentials.fields.role'), resellerId: t('credentials.fields.reseller'), displayName: t('credentials.fields.name') },
    required: ['displayName'],
    submit: async (v) => {
      const role = Number(v.role) as Role;
      const answer = await create.mutateAsync({ role, resellerId: role === Role.RESELLER ? v.resellerId : '', displayName: v.displayName, requestId });
      await invalidate();
      notify({ message: t('credentials.notify.issued', { name: v.displayName }) });
      setIssued(answer);
    },
  });

  if (issued) return <SecretDialog issued={issued} onClose={onClose} />;
  const forReseller = form.values.role === String(Role.RESELLER);
  return (
    <Dialog title={t('credentials.new')} onClose={onClose}>
      <Form form={form} submitLabel={t('credentials.issue')} onCancel={onClose}>
        <SelectField name="role" options={roleOptions(t)} />
        {forReseller && <SelectField name="resellerId" options={resellerOptions(resellers.data?.resellers ?? [], t('common.chooseReseller'))} />}
        {resellers.isError && <ErrorNotice error={resellers.error} title={t('common.resellersNotLoaded')} />}
        <TextField name="displayName" autoFocus hint={t('credentials.fields.nameHint')} />
      </Form>
    </Dialog>
  );
}

function SecretDialog({ issued, onClose }: { issued: CreateCredentialResponse; onClose: () => void }) {
  const { t } = useTranslation();
  const credential = issued.credential!;
  return (
    <Dialog title={t('credentials.issued.title')} onClose={onClose} wide>
      <p className="notice notice-warn">{issued.clientSecret ? t('credentials.issued.copyNow') : t('credentials.issued.already')}</p>
      <dl className="facts facts-wide">
        <dt>{t('credentials.issued.name')}</dt><dd>{credential.displayName}</dd>
        <dt>{t('credentials.issued.clientId')}</dt>
        <dd><code data-testid="issued-client-id">{credential.clientId}</code> <CopyButton text={credential.clientId} label={t('credentials.issued.copyClientId')} /></dd>
        {issued.clientSecret && <>
          <dt>{t('credentials.issued.secret')}</dt>
          <dd><code className="secret" data-testid="issued-secret">{issued.clientSecret}</code> <CopyButton text={issued.clientSecret} label={t('credentials.issued.copySecret')} /></dd>
        </>}
      </dl>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus>{t('credentials.issued.stored')}</button>
      </div>
    </Dialog>
  );
}

