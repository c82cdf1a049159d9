// Resellers: search, page through, export, and register a new one.
import { useState } from 'react';
import { Link } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useMutation, useQuery, useTransport } from '@connectrpc/connect-query';
import { AccessService, type Reseller } from '@gen/reseller/v1/access_pb.js';
import { formatTime, isoTime } from '../../api/format.ts';
import { newRequestId, useInvalidate, usePages } from '../../api/lists.ts';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { Form, TextField, useForm } from '../../ui/form.tsx';
import { SearchFilter, useDebounced } from '../../ui/filters.tsx';
import { Page } from '../../ui/Page.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { QueryView } from '../../ui/States.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';

const columns: Column<Reseller>[] = [
  { header: 'Name', cell: (r) => <strong>{r.name}</strong>, csv: (r) => r.name },
  { header: 'Reseller id', cell: (r) => <code>{r.resellerId}</code>, csv: (r) => r.resellerId },
  { header: 'Registered', cell: (r) => formatTime(r.createTime), csv: (r) => isoTime(r.createTime), className: 'nowrap' },
  {
    header: 'Open',
    cell: (r) => (
      <span className="row-actions">
        <Link to={`/credentials?reseller=${r.resellerId}`} aria-label={`Credentials of ${r.name}`}>Credentials</Link>
        <Link to={`/clients?reseller=${r.resellerId}`} aria-label={`Clients of ${r.name}`}>Clients</Link>
      </span>
    ),
  },
];

export function ResellersScreen() {
  const [search, setSearch] = useState('');
  const [pageSize, setPageSize] = useState('50');
  const [creating, setCreating] = useState(false);
  const query = useDebounced(search.trim());
  const pages = usePages(`${query}|${pageSize}`);
  const list = useQuery(AccessService.method.listResellers, { query, pageSize: Number(pageSize), pageToken: pages.pageToken }, { placeholderData: (previous) => previous });
  const transport = useTransport();

  return (
    <Page title="Resellers" subtitle="Partner companies that resell our services."
      actions={<IfMayChange><button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>New reseller</button></IfMayChange>}>
      <div className="toolbar">
        <SearchFilter label="Search by name" value={search} onChange={setSearch} />
        <ExportButton what="resellers" columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(AccessService, transport).listResellers({ query, pageSize: 200, pageToken });
          return { items: page.resellers, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <QueryView query={list} what="resellers" isEmpty={(d) => d.resellers.length === 0}
        empty={query ? <p>No reseller's name contains “{query}”.</p> : <p>No resellers yet. Register the first one with <em>New reseller</em>.</p>}>
        {(data) => (
          <>
            <DataTable caption="Resellers" columns={columns} rows={data.resellers} rowKey={(r) => r.resellerId} />
            <Pager pages={pages} nextPageToken={data.nextPageToken} shown={data.resellers.length} fetching={list.isFetching} pageSize={pageSize} onPageSize={setPageSize} />
          </>
        )}
      </QueryView>
      {creating && <NewResellerDialog onClose={() => setCreating(false)} />}
    </Page>
  );
}

function NewResellerDialog({ onClose }: { onClose: () => void }) {
  const [requestId] = useState(newRequestId);
  const invalidate = useInvalidate(AccessService);
  const create = useMutation(AccessService.method.createReseller);
  const form = useForm({
    initial: { name: '' },
    labels: { name: 'Company name' },
    required: ['name'],
    submit: async (v) => {
      await create.mutateAsync({ name: v.name, requestId });
      await invalidate();
      onClose();
    },
  });
  return (
    <Dialog title="New reseller" onClose={onClose}>
      <Form form={form} submitLabel="Create reseller" onCancel={onClose}>
        <TextField name="name" autoFocus hint="The partner company's name, as staff will search for it." />
      </Form>
    </Dialog>
  );
}
