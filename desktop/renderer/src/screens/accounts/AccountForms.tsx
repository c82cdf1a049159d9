// The forms of accounts and families: found a family (a new family and its
// founder at once), find an account by its identifier, create an account in a
// family, add an account to a family, change an account (first name, locale,
// identifier, picture), a family (name, image) and a membership (right and
// role). Creates carry a request id; edits carry the etag that was read.
import { useState } from 'react';
import { useMutation } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import {
  FamilyRight, IdentifierType, ProvisioningService, type Account, type Family, type FamilyMember,
} from '@gen/reseller/v1/provisioning_pb.js';
import { newRequestId, useInvalidate } from '../../api/lists.ts';
import { ImageInput, type ImageChoice } from '../../ui/AuthorizedImage.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { Form, ReloadLatestButton, SelectField, TextField, useForm } from '../../ui/form.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { accountName, DEFAULT_LOCALE, identifierTypeOptions, rightOptions } from './labels.ts';

const IDENTIFIER_REASONS = { IDENTIFIER_TAKEN: 'identifier', ACCOUNT_EXISTS: 'identifier', INVALID_EMAIL: 'identifier', INVALID_MSISDN: 'identifier', INVALID_IDENTIFIER: 'identifier' } as const;

export function FoundFamilyDialog({ clientId, onClose, onFounded }: { clientId: string; onClose: () => void; onFounded: (family: Family, account: Account) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [requestId] = useState(newRequestId);
  const invalidate = useInvalidate(ProvisioningService);
  const found = useMutation(ProvisioningService.method.foundFamily);
  const form = useForm({
    initial: { familyName: '', identifierType: String(IdentifierType.EMAIL), identifier: '', firstName: '', locale: DEFAULT_LOCALE, role: '' },
    labels: {
      familyName: t('accounts.fields.familyName'), identifierType: t('accounts.fields.identifierType'), identifier: t('accounts.fields.identifier'),
      firstName: t('accounts.fields.firstName'), locale: t('accounts.fields.locale'), role: t('accounts.fields.role'),
    },
    required: ['familyName', 'identifier', 'firstName', 'locale'],
    reasonFields: IDENTIFIER_REASONS,
    submit: async (v) => {
      const answer = await found.mutateAsync({ clientId, familyName: v.familyName, identifierType: Number(v.identifierType), identifier: v.identifier,
        firstName: v.firstName, locale: v.locale, role: v.role, requestId });
      await invalidate();
      notify({ message: t('accounts.notify.founded', { name: answer.family!.name }) });
      onFounded(answer.family!, answer.account!);
    },
  });
  return (
    <Dialog title={t('accounts.found')} onClose={onClose}>
      <Form form={form} submitLabel={t('accounts.foundConfirm')} onCancel={onClose}>
        <TextField name="familyName" autoFocus hint={t('accounts.fields.familyNameHint')} />
        <p className="field-hint">{t('accounts.fields.founderIntro')}</p>
        <SelectField name="identifierType" options={identifierTypeOptions(t)} />
        <TextField name="identifier" mono hint={t('accounts.fields.identifierHint')} />
        <TextField name="firstName" />
        <TextField name="locale" mono hint={t('accounts.fields.localeHint')} />
        <TextField name="role" hint={t('accounts.fields.roleHint')} />
      </Form>
    </Dialog>
  );
}

export function FindAccountDialog({ clientId, onClose, onFound }: { clientId: string; onClose: () => void; onFound: (account: Account) => void }) {
  const { t } = useTranslation();
  const search = useMutation(ProvisioningService.method.searchAccount);
  const form = useForm({
    initial: { identifierType: String(IdentifierType.EMAIL), identifier: '' },
    labels: { identifierType: t('accounts.fields.identifierType'), identifier: t('accounts.fields.identifier') },
    required: ['identifier'],
    reasonFields: { ACCOUNT_NOT_FOUND: 'identifier', INVALID_EMAIL: 'identifier', INVALID_MSISDN: 'identifier', INVALID_IDENTIFIER: 'identifier' },
    submit: async (v) => {
      const answer = await search.mutateAsync({ clientId, identifierType: Number(v.identifierType), identifier: v.identifier.trim() });
      onFound(answer.account!);
    },
  });
  return (
    <Dialog title={t('accounts.find')} onClose={onClose}>
      <Form form={form} submitLabel={t('accounts.findConfirm')} onCancel={onClose}>
        <SelectField name="identifierType" options={identifierTypeOptions(t)} autoFocus />
        <TextField name="identifier" mono hint={t('accounts.fields.identifierExact')} />
      </Form>
    </Dialog>
  );
}

export function CreateAccountDialog({ family, onClose, onCreated }: { family: Family; onClose: () => void; onCreated: (account: Account) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [requestId] = useState(newRequestId);
  const invalidate = useInvalidate(ProvisioningService);
  const create = useMutation(ProvisioningService.method.createAccount);
  const form = useForm({
    initial: { identifierType: String(IdentifierType.EMAIL), identifier: '', firstName: '', locale: DEFAULT_LOCALE, right: String(FamilyRight.NONE), role: '' },
    labels: {
      identifierType: t('accounts.fields.identifierType'), identifier: t('accounts.fields.identifier'), firstName: t('accounts.fields.firstName'),
      locale: t('accounts.fields.locale'), right: t('accounts.fields.right'), role: t('accounts.fields.role'),
    },
    required: ['identifier', 'firstName', 'locale'],
    reasonFields: IDENTIFIER_REASONS,
    submit: async (v) => {
      const answer = await create.mutateAsync({ familyId: family.familyId, identifierType: Number(v.identifierType), identifier: v.identifier, firstName: v.firstName,
        locale: v.locale, right: Number(v.right), role: v.role, requestId });
      await invalidate();
      notify({ message: t('accounts.notify.created', { name: accountName(answer.account!) }) });
      onCreated(answer.account!);
    },
  });
  return (
    <Dialog title={t('accounts.createTitle', { family: family.name })} onClose={onClose}>
      <Form form={form} submitLabel={t('accounts.create')} onCancel={onClose}>
        <SelectField name="identifierType" options={identifierTypeOptions(t)} autoFocus />
        <TextField name="identifier" mono />
        <TextField name="firstName" />
        <TextField name="locale" mono hint={t('accounts.fields.localeHint')} />
        <SelectField name="right" options={rightOptions(t)} />
        <TextField name="role" hint={t('accounts.fields.roleOptional')} />
      </Form>
    </Dialog>
  );
}

/** Adds an account of the client (found by its identifier) to this family. */
export function AddMemberDialog({ family, onClose }: { family: Family; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const invalidate = useInvalidate(ProvisioningService);
  const search = useMutation(ProvisioningService.method.searchAccount);
  const add = useMutation(ProvisioningService.method.addAccountToFamily);
  const remove = useMutation(ProvisioningService.method.removeAccountFromFamily);
  const form = useForm({
    initial: { identifierType: String(IdentifierType.EMAIL), identifier: '', right: String(FamilyRight.NONE), role: '' },
    labels: { identifierType: t('accounts.fields.identifierType'), identifier: t('accounts.fields.identifier'), right: t('accounts.fields.right'), role: t('accounts.fields.role') },
    required: ['identifier'],
    reasonFields: { ACCOUNT_NOT_FOUND: 'identifier', ALREADY_MEMBER: 'identifier', INVALID_EMAIL: 'identifier', INVALID_MSISDN: 'identifier', INVALID_IDENTIFIER: 'identifier' },
    submit: async (v) => {
      const found = await search.mutateAsync({ clientId: family.clientId, identifierType: Number(v.identifierType), identifier: v.identifier.trim() });
      const ids = { accountId: found.account!.accountId, familyId: family.familyId };
      await add.mutateAsync({ ...ids, right: Number(v.right), role: v.role });
      await invalidate();
      notify({
        message: t('accounts.notify.added', { name: accountName(found.account!), family: family.name }),
        undo: async () => { await remove.mutateAsync(ids); await invalidate(); },
        undone: t('accounts.notify.removed', { name: accountName(found.account!), family: family.name }),
      });
      onClose();
    },
  });
  return (
    <Dialog title={t('accounts.addMemberTitle', { family: family.name })} onClose={onClose}>
      <Form form={form} submitLabel={t('accounts.addMember')} onCancel={onClose}>
        <SelectField name="identifierType" options={identifierTypeOptions(t)} autoFocus />
        <TextField name="identifier" mono hint={t('accounts.fields.identifierExact')} />
        <SelectField name="right" options={rightOptions(t)} />
        <TextField name="role" hint={t('accounts.fields.roleOptional')} />
      </Form>
    </Dialog>
  );
}

export function EditAccountDialog({ account, onClose, onReload }: { account: Account; onClose: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [picture, setPicture] = useState<ImageChoice>({ remove: false });
  const invalidate = useInvalidate(ProvisioningService);
  const update = useMutation(ProvisioningService.method.updateAccount);
  const form = useForm({
    initial: { firstName: account.firstName, locale: account.locale, identifierType: String(account.identifierType), identifier: account.identifier },
    labels: { firstName: t('accounts.fields.firstName'), locale: t('accounts.fields.locale'), identifierType: t('accounts.fields.identifierType'), identifier: t('accounts.fields.identifier') },
    required: ['firstName', 'locale', 'identifier'],
    reasonFields: IDENTIFIER_REASONS,
    submit: async (v) => {
      const identifierChanged = v.identifier !== account.identifier || v.identifierType !== String(account.identifierType);
      const firstName = v.firstName !== account.firstName;
      const locale = v.locale !== account.locale;
      const answer = await update.mutateAsync({
        accountId: account.accountId,
        firstName: firstName ? v.firstName : undefined,
        locale: locale ? v.locale : undefined,
        identifier: identifierChanged ? v.identifier : undefined,
        identifierType: identifierChanged ? Number(v.identifierType) : IdentifierType.UNSPECIFIED,
        picture: picture.bytes,
        removePicture: picture.remove,
        etag: account.etag,
      });
      await invalidate();
      // The old names back; a picture the console does not hold cannot be put back.
      const pictureChanged = picture.bytes !== undefined || picture.remove;
      notify({
        message: t('accounts.notify.saved', { name: accountName({ firstName: v.firstName, identifier: v.identifier }) }),
        ...(pictureChanged ? {} : {
          undo: async () => {
            await update.mutateAsync({
              accountId: account.accountId, etag: answer.account?.etag ?? '',
              firstName: firstName ? account.firstName : undefined, locale: locale ? account.locale : undefined,
              identifier: identifierChanged ? account.identifier : undefined, identifierType: identifierChanged ? account.identifierType : IdentifierType.UNSPECIFIED,
            });
            await invalidate();
          },
          undone: t('accounts.notify.restored', { name: accountName(account) }),
        }),
      });
      onClose();
    },
  });
  return (
    <Dialog title={t('accounts.editTitle', { name: accountName(account) })} onClose={onClose} wide>
      <Form form={form} submitLabel={t('common.saveChanges')} onCancel={onClose} extraActions={<ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        <TextField name="firstName" autoFocus />
        <TextField name="locale" mono hint={t('accounts.fields.localeHint')} />
        <SelectField name="identifierType" options={identifierTypeOptions(t)} />
        <TextField name="identifier" mono hint={t('accounts.fields.identifierHint')} />
        <ImageInput label={t('accounts.fields.picture')} hasImage={account.pictureUrl !== ''} value={picture} onChange={setPicture} />
      </Form>
    </Dialog>
  );
}

export function EditFamilyDialog({ family, onClose, onReload }: { family: Family; onClose: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [image, setImage] = useState<ImageChoice>({ remove: false });
  const invalidate = useInvalidate(ProvisioningService);
  const update = useMutation(ProvisioningService.method.updateFamily);
  const form = useForm({
    initial: { name: family.name },
    labels: { name: t('accounts.fields.familyName') },
    required: ['name'],
    submit: async (v) => {
      const answer = await update.mutateAsync({
        familyId: family.familyId,
        name: v.name !== family.name ? v.name : undefined,
        image: image.bytes,
        removeImage: image.remove,
        etag: family.etag,
      });
      await invalidate();
      const imageChanged = image.bytes !== undefined || image.remove;
      notify({
        message: t('accounts.notify.familySaved', { name: v.name }),
        ...(imageChanged || v.name === family.name ? {} : {
          undo: async () => { await update.mutateAsync({ familyId: family.familyId, name: family.name, etag: answer.family?.etag ?? '' }); await invalidate(); },
          undone: t('accounts.notify.familySaved', { name: family.name }),
        }),
      });
      onClose();
    },
  });
  return (
    <Dialog title={t('accounts.editFamilyTitle', { name: family.name })} onClose={onClose}>
      <Form form={form} submitLabel={t('common.saveChanges')} onCancel={onClose} extraActions={<ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        <TextField name="name" autoFocus />
        <ImageInput label={t('accounts.fields.image')} hasImage={family.imageUrl !== ''} value={image} onChange={setImage} />
      </Form>
    </Dialog>
  );
}

export function EditMembershipDialog({ family, member, onClose }: { family: Family; member: FamilyMember; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const invalidate = useInvalidate(ProvisioningService);
  const update = useMutation(ProvisioningService.method.updateAccount);
  const account = member.account!;
  const form = useForm({
    initial: { right: String(member.right), role: member.role },
    labels: { right: t('accounts.fields.right'), role: t('accounts.fields.role') },
    reasonFields: { FOUNDER_ALREADY_EXISTS: 'right' },
    submit: async (v) => {
      const right = v.right !== String(member.right);
      const role = v.role !== member.role;
      await update.mutateAsync({
        accountId: account.accountId,
        familyId: family.familyId,
        right: right ? Number(v.right) : FamilyRight.UNSPECIFIED,
        role: role ? v.role : undefined,
      });
      await invalidate();
      notify({
        message: t('accounts.notify.membershipSaved', { name: accountName(account), family: family.name }),
        undo: async () => {
          await update.mutateAsync({
            accountId: account.accountId, familyId: family.familyId,
            right: right ? member.right : FamilyRight.UNSPECIFIED, role: role ? member.role : undefined,
          });
          await invalidate();
        },
        undone: t('accounts.notify.membershipSaved', { name: accountName(account), family: family.name }),
      });
      onClose();
    },
  });
  return (
    <Dialog title={t('accounts.membershipTitle', { name: accountName(account), family: family.name })} onClose={onClose}>
      <Form form={form} submitLabel={t('common.saveChanges')} onCancel={onClose}>
        <SelectField name="right" options={rightOptions(t)} autoFocus />
        <TextField name="role" hint={t('accounts.fields.roleOptional')} />
      </Form>
    </Dialog>
  );
}
