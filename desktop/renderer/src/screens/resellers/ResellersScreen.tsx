// Resellers: search, page through, export, and register a new one. Each
// reseller's page has its clients, interfaces, credentials and history.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useMutation, useQuery, useTransport } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { AccessService, type Reseller } from '@gen/reseller/v1/access_pb.js';
import { csvTime } from '../../api/csv.ts';
import { newRequestId, useInvalidate, useListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import type { Column } from '../../ui/DataTable.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { Form, TextField, useForm } from '../../ui/form.tsx';
import { SearchFilter, useDebounced } from '../../ui/filters.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { Page } from '../../ui/Page.tsx';
import { SavedFilters } from '../../ui/SavedFilters.tsx';

export function ResellersScreen() {
  const { t } = useTranslation();
  const format = useFormat();
  const params = useListParams();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const search = params.get('q');
  const query = useDebounced(search.trim());
  const list = useQuery(AccessService.method.listResellers, { query, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken }, { placeholderData: (previous) => previous });
  const transport = useTransport();

  const columns: Column<Reseller>[] = [
    { header: t('resellers.columns.name'), cell: (r) => <Link to={`/resellers/${r.resellerId}`}><strong>{r.name}</strong></Link>, csv: (r) => r.name },
    { header: t('resellers.columns.registered'), cell: (r) => format.time(r.createTime), csv: (r) => csvTime(r.createTime), className: 'nowrap' },
    {
      header: t('resellers.columns.open'),
      cell: (r) => (
        <span className="row-actions">
          <Link to={`/clients?reseller=${r.resellerId}`} aria-label={t('resellers.clientsOf', { name: r.name })}>{t('nav.clients')}</Link>
          <Link to={`/interfaces?reseller=${r.resellerId}`} aria-label={t('resellers.interfacesOf', { name: r.name })}>{t('nav.interfaces')}</Link>
          <Link to={`/credentials?reseller=${r.resellerId}`} aria-label={t('resellers.credentialsOf', { name: r.name })}>{t('nav.credentials')}</Link>
        </span>
      ),
    },
    { header: t('resellers.columns.resellerId'), cell: (r) => r.resellerId, csv: (r) => r.resellerId, exportOnly: true },
  ];

  return (
    <Page title={t('resellers.title')} subtitle={t('resellers.subtitle')}
      actions={<IfMayChange><button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>{t('resellers.new')}</button></IfMayChange>}>
      <div className="toolbar">
        <SearchFilter label={t('resellers.search')} value={search} onChange={(v) => params.set('q', v)} />
        <SavedFilters list="resellers" params={params} />
        <ExportButton file={t('export.files.resellers')} columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(AccessService, transport).listResellers({ query, pageSize: 200, pageToken });
          return { items: page.resellers, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <ListView query={list} rows={(d) => d.resellers} nextPageToken={(d) => d.nextPageToken} caption={t('resellers.caption')}
        columns={columns} rowKey={(r) => r.resellerId} list={params} what={t('resellers.what')}
        empty={query ? <p>{t('resellers.emptyFiltered', { query })}</p> : <p>{t('resellers.empty')}</p>} />
      {creating && <NewResellerDialog onClose={() => setCreating(false)} onCreated={(r) => navigate(`/resellers/${r.resellerId}`)} />}
    </Page>
  );
}

function NewResellerDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (reseller: Reseller) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [requestId] = useState(newRequestId);
  const invalidate = useInvalidate(AccessService);
  const create = useMutation(AccessService.method.createReseller);
  const form = useForm({
    initial: { name: '' },
    labels: { name: t('resellers.fields.name') },
    required: ['name'],
    submit: async (v) => {
      const answer = await create.mutateAsync({ name: v.name, requestId });
      await invalidate();
      notify({ message: t('resellers.notify.created', { name: v.name }) });
      onClose();
      onCreated(answer.reseller!);
    },
  });
  return (
    <Dialog title={t('resellers.new')} onClose={onClose}>
      <Form form={form} submitLabel={t('resellers.create')} onCancel={onClose}>
        <TextField name="name" autoFocus hint={t('resellers.fields.nameHint')} />
      </Form>
    </Dialog>
  );
}
