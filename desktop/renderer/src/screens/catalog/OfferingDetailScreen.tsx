// One offering in full, and the changes an admin makes to it: edit, retire.
// Its long description is HTML that the server sanitised when staff wrote it
// (CatalogService: "already sanitised: safe to render as HTML"), so it is
// rendered as such.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { CatalogService, type Offering } from '@gen/reseller/v1/catalog_pb.js';
import { formatMoney, formatTime } from '../../api/format.ts';
import { useInvalidate } from '../../api/lists.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { Page, Section } from '../../ui/Page.tsx';
import { QueryView } from '../../ui/States.tsx';
import { OfferingDialog } from './CatalogForms.tsx';
import { billingLabels, offeringKindLabels } from './labels.ts';

export function OfferingDetailScreen() {
  const { code = '' } = useParams();
  const query = useQuery(CatalogService.method.getOffering, { code });
  return (
    <QueryView query={query} what="the offering">
      {(data) => <OfferingDetail offering={data.offering!} reload={() => void query.refetch()} />}
    </QueryView>
  );
}

function OfferingDetail({ offering: o, reload }: { offering: Offering; reload: () => void }) {
  const [editing, setEditing] = useState(false);
  const invalidate = useInvalidate(CatalogService);
  const retire = useMutation(CatalogService.method.retireOffering);
  return (
    <Page title={o.name}
      subtitle={<><Link to="/offerings">Offerings</Link> › <code>{o.code}</code> · {o.retired ? <Badge tone="off">Retired</Badge> : <Badge tone="ok">On sale</Badge>}</>}
      actions={<>
        <IfMayChange><button type="button" className="btn" onClick={() => setEditing(true)}>Edit</button></IfMayChange>
        {!o.retired && (
          <ConfirmButton label="Retire" title={`Retire ${o.name}?`} confirmLabel="Retire offering"
            onConfirm={async () => { await retire.mutateAsync({ code: o.code }); await invalidate(); }}>
            <p><code>{o.code}</code> is withdrawn from sale: it can no longer be ordered. It stays readable, and the interfaces that have it keep it.</p>
            <p>There is no way back: a retired offering cannot be put on sale again.</p>
          </ConfirmButton>
        )}
      </>}>
      <dl className="facts">
        <dt>Kind</dt><dd>{offeringKindLabels[o.kind]}</dd>
        <dt>Price</dt><dd className="money">{formatMoney(o.price)} {billingLabels[o.billingPeriod]} <span className="muted">excl. VAT</span></dd>
        <dt>Needs one of</dt><dd>{o.associatedCodes.length > 0 ? o.associatedCodes.map((c) => <Link key={c} to={`/offerings/${c}`} className="mono">{c}</Link>) : <span className="muted">nothing</span>}</dd>
        <dt>Project form</dt><dd>{o.projectForm ? 'Sent to the customer' : 'No'}</dd>
        {o.includedQuantity > 0 && <><dt>Included per client</dt><dd>{o.includedQuantity}</dd></>}
        <dt>Published</dt><dd>{formatTime(o.createTime)}</dd>
        <dt>Last changed</dt><dd>{formatTime(o.updateTime)} <span className="muted">(version {o.etag})</span></dd>
        {o.retired && <><dt>Retired</dt><dd>{formatTime(o.retireTime)}</dd></>}
      </dl>
      <p>{o.shortDescription}</p>
      <Section title="Description">
        {/* Sanitised by the server (allow-listed tags, no scripts or handlers). */}
        <div className="rich-text" data-testid="long-description" dangerouslySetInnerHTML={{ __html: o.longDescription }} />
      </Section>
      {editing && <OfferingDialog key={o.etag} offering={o} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} onReload={reload} />}
    </Page>
  );
}
