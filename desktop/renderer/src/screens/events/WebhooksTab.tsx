// A reseller's webhook endpoints (a tab of its page): register one (its
// signing secret shown once), pause or resume it, rotate its secret (the new
// one shown once), delete it; each endpoint's delivery attempts, with a button
// that delivers an attempt's event again.
import { useState } from 'react';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import {
  DeliveryOutcome, EventService, WebhookEndpointStatus, type DeliveryAttempt, type WebhookEndpoint,
} from '@gen/reseller/v1/events_pb.js';
import { newRequestId, useInvalidate, useListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import type { Column } from '../../ui/DataTable.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { Form, TextField, useForm } from '../../ui/form.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { useNotify } from '../../ui/Notifications.tsx';

const statusTone = { [WebhookEndpointStatus.ACTIVE]: 'ok', [WebhookEndpointStatus.PAUSED]: 'warn', [WebhookEndpointStatus.DISABLED]: 'off' } as const;

export function WebhooksTab({ resellerId, resellerName }: { resellerId: string; resellerName: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const params = useListParams();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string>();
  const [attemptsOf, setAttemptsOf] = useState<WebhookEndpoint>();
  const list = useQuery(EventService.method.listWebhookEndpoints, { resellerId, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken }, { placeholderData: (p) => p });
  const invalidate = useInvalidate(EventService);
  const update = useMutation(EventService.method.updateWebhookEndpoint);
  const rotate = useMutation(EventService.method.rotateWebhookSecret);
  const remove = useMutation(EventService.method.deleteWebhookEndpoint);

  const statusLabel = (s: WebhookEndpointStatus) => (s === WebhookEndpointStatus.ACTIVE ? t('webhooks.status.active')
    : s === WebhookEndpointStatus.PAUSED ? t('webhooks.status.paused')
      : s === WebhookEndpointStatus.DISABLED ? t('webhooks.status.disabled') : t('webhooks.status.unknown'));

  const setStatus = async (e: WebhookEndpoint, status: WebhookEndpointStatus) => {
    await update.mutateAsync({ endpointId: e.endpointId, status, etag: e.etag });
    await invalidate();
    notify({ message: status === WebhookEndpointStatus.PAUSED ? t('webhooks.notify.paused', { url: e.url }) : t('webhooks.notify.resumed', { url: e.url }) });
  };

  const columns: Column<WebhookEndpoint>[] = [
    { header: t('webhooks.columns.url'), cell: (e) => <code>{e.url}</code>, csv: (e) => e.url },
    { header: t('webhooks.columns.description'), cell: (e) => e.description, csv: (e) => e.description },
    {
      header: t('webhooks.columns.types'),
      cell: (e) => (e.eventTypes.length === 0 ? t('webhooks.allTypes') : t('webhooks.typesCount', { count: e.eventTypes.length })),
      csv: (e) => String(e.eventTypes.length),
    },
    {
      header: t('webhooks.columns.status'),
      cell: (e) => <span title={e.disabledReason || undefined}><Badge tone={statusTone[e.status as keyof typeof statusTone] ?? 'info'}>{statusLabel(e.status)}</Badge></span>,
      csv: (e) => statusLabel(e.status),
    },
    { header: t('webhooks.columns.created'), cell: (e) => format.time(e.createTime), csv: (e) => format.time(e.createTime), className: 'nowrap' },
    {
      header: t('common.actions'),
      cell: (e) => (
        <span className="row-actions">
          <button type="button" className="btn btn-small" onClick={() => setAttemptsOf(e)} aria-label={t('webhooks.attemptsNamed', { url: e.url })}>{t('webhooks.attempts')}</button>
          <IfMayChange>
            {e.status === WebhookEndpointStatus.ACTIVE
              ? <button type="button" className="btn btn-small" onClick={() => void setStatus(e, WebhookEndpointStatus.PAUSED)} aria-label={t('webhooks.pauseNamed', { url: e.url })}>{t('webhooks.pause')}</button>
              : <button type="button" className="btn btn-small" onClick={() => void setStatus(e, WebhookEndpointStatus.ACTIVE)} aria-label={t('webhooks.resumeNamed', { url: e.url })}>{t('webhooks.resume')}</button>}
            <ConfirmButton small danger={false} label={t('webhooks.rotate')} accessibleLabel={t('webhooks.rotateNamed', { url: e.url })} title={t('webhooks.rotateTitle', { url: e.url })}
              onConfirm={async () => {
                const answer = await rotate.mutateAsync({ endpointId: e.endpointId });
                await invalidate();
                notify({ message: t('webhooks.notify.rotated', { url: e.url }) });
                setSecret(answer.signingSecret);
              }}>
              <p>{t('webhooks.rotateText')}</p>
            </ConfirmButton>
            <ConfirmButton small label={t('webhooks.delete')} accessibleLabel={t('webhooks.deleteNamed', { url: e.url })} title={t('webhooks.deleteTitle', { url: e.url })}
              onConfirm={async () => {
                await remove.mutateAsync({ endpointId: e.endpointId });
                await invalidate();
                notify({ message: t('webhooks.notify.deleted', { url: e.url }) });
              }}>
              <p>{t('webhooks.deleteText')}</p>
            </ConfirmButton>
          </IfMayChange>
        </span>
      ),
    },
  ];
  return (
    <>
      <div className="toolbar">
        <IfMayChange><button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>{t('webhooks.new')}</button></IfMayChange>
      </div>
      <ListView query={list} rows={(d) => d.endpoints} nextPageToken={(d) => d.nextPageToken} caption={t('webhooks.caption')}
        columns={columns} rowKey={(e) => e.endpointId} list={params} what={t('webhooks.what')} empty={<p>{t('webhooks.empty', { name: resellerName })}</p>} />
      {creating && <NewEndpointDialog resellerId={resellerId} onClose={() => setCreating(false)} onCreated={setSecret} />}
      {secret && <SecretDialog secret={secret} onClose={() => setSecret(undefined)} />}
      {attemptsOf && (
        <Dialog title={t('webhooks.attemptsNamed', { url: attemptsOf.url })} onClose={() => setAttemptsOf(undefined)} wide>
          <AttemptsList endpoint={attemptsOf} />
        </Dialog>
      )}
    </>
  );
}

function NewEndpointDialog({ resellerId, onClose, onCreated }: { resellerId: string; onClose: () => void; onCreated: (secret: string) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [requestId] = useState(newRequestId);
  const invalidate = useInvalidate(EventService);
  const create = useMutation(EventService.method.createWebhookEndpoint);
  const form = useForm({
    initial: { url: '', description: '' },
    labels: { url: t('webhooks.fields.url'), description: t('webhooks.fields.description') },
    required: ['url'],
    submit: async (v) => {
      const answer = await create.mutateAsync({ resellerId, url: v.url, description: v.description, requestId });
      await invalidate();
      notify({ message: t('webhooks.notify.created', { url: v.url }) });
      onClose();
      if (answer.signingSecret) onCreated(answer.signingSecret);
    },
  });
  return (
    <Dialog title={t('webhooks.new')} onClose={onClose}>
      <Form form={form} submitLabel={t('webhooks.create')} onCancel={onClose}>
        <TextField name="url" autoFocus mono hint={t('webhooks.fields.urlHint')} />
        <TextField name="description" />
      </Form>
    </Dialog>
  );
}

function SecretDialog({ secret, onClose }: { secret: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('webhooks.secret.title')} onClose={onClose} wide>
      <p className="notice notice-warn">{t('webhooks.secret.copyNow')}</p>
      <dl className="facts facts-wide">
        <dt>{t('webhooks.secret.label')}</dt>
        <dd><code className="secret" data-testid="webhook-secret">{secret}</code> <CopyButton text={secret} label={t('webhooks.secret.copy')} /></dd>
      </dl>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus>{t('webhooks.secret.stored')}</button>
      </div>
    </Dialog>
  );
}

function AttemptsList({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const params = useListParams();
  const list = useQuery(EventService.method.listDeliveryAttempts, { endpointId: endpoint.endpointId, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken }, { placeholderData: (p) => p });
  const invalidate = useInvalidate(EventService);
  const redeliver = useMutation(EventService.method.redeliverEvents);
  const outcome = (o: DeliveryOutcome) => (o === DeliveryOutcome.SUCCEEDED ? t('webhooks.attemptList.outcomes.succeeded')
    : o === DeliveryOutcome.FAILED ? t('webhooks.attemptList.outcomes.failed')
      : o === DeliveryOutcome.REFUSED ? t('webhooks.attemptList.outcomes.refused') : t('webhooks.attemptList.outcomes.unknown'));
  const columns: Column<DeliveryAttempt>[] = [
    { header: t('webhooks.attemptList.time'), cell: (a) => format.time(a.time), csv: (a) => format.time(a.time), className: 'nowrap' },
    { header: t('webhooks.attemptList.event'), cell: (a) => <code>{a.eventType}</code>, csv: (a) => a.eventType },
    {
      header: t('webhooks.attemptList.outcome'),
      cell: (a) => <Badge tone={a.outcome === DeliveryOutcome.SUCCEEDED ? 'ok' : 'off'}>{outcome(a.outcome)}</Badge>,
      csv: (a) => outcome(a.outcome),
    },
    { header: t('webhooks.attemptList.httpStatus'), cell: (a) => (a.httpStatus ? String(a.httpStatus) : t('common.dash')), csv: (a) => String(a.httpStatus) },
    { header: t('webhooks.attemptList.latency'), cell: (a) => t('webhooks.attemptList.latencyValue', { ms: a.latencyMs }), csv: (a) => String(a.latencyMs) },
    { header: t('webhooks.attemptList.answer'), cell: (a) => <span className="muted">{a.responseExcerpt.slice(0, 120)}</span>, csv: (a) => a.responseExcerpt },
    {
      header: t('common.actions'),
      cell: (a) => (
        <IfMayChange>
          <button type="button" className="btn btn-small" aria-label={t('webhooks.attemptList.redeliverNamed', { type: a.eventType })}
            onClick={async () => {
              await redeliver.mutateAsync({ endpointId: a.endpointId, eventId: a.eventId });
              await invalidate();
              notify({ message: t('webhooks.notify.redelivered', { type: a.eventType }) });
            }}>{t('webhooks.attemptList.redeliver')}</button>
        </IfMayChange>
      ),
    },
  ];
  return (
    <ListView query={list} rows={(d) => d.attempts} nextPageToken={(d) => d.nextPageToken} caption={t('webhooks.attemptList.caption')}
      columns={columns} rowKey={(a) => a.attemptId} list={params} what={t('webhooks.attemptList.what')} empty={<p>{t('webhooks.attemptList.empty')}</p>} />
  );
}
