// Ordering an interface, and adding offerings to one. The offerings come from
// the catalog (retired ones are not offered) and the ordering rules are
// checked before anything is sent (rules.ts); the server's field violations
// on the contact land next to its fields.
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { CatalogService, OfferingKind, type Offering } from '@gen/reseller/v1/catalog_pb.js';
import { InterfaceService, type CreateInterfaceResponse } from '@gen/reseller/v1/interfaces_pb.js';
import { newRequestId, useInvalidate } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { tr, type MessageKey } from '../../i18n/keys.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Form, SelectField, TextField, useForm, type FormApi } from '../../ui/form.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { QueryView } from '../../ui/States.tsx';
import { resellerOptions, useResellerChoices } from '../resellers/resellers.ts';
import { orderProblems, type OrderProblem } from './rules.ts';

const kindGroups: Record<OfferingKind, MessageKey> = {
  [OfferingKind.UNSPECIFIED]: 'interfaces.picker.other',
  [OfferingKind.SETUP]: 'interfaces.picker.setup',
  [OfferingKind.SUBSCRIPTION]: 'interfaces.picker.subscriptions',
  [OfferingKind.OPTION]: 'interfaces.picker.options',
};

/** The catalog's offerings on sale (every page the picker needs: the API's largest). */
function useOfferingsOnSale() {
  return useQuery(CatalogService.method.listOfferings, { pageSize: 200 });
}

/** Checkboxes for the offerings on sale, by kind, and the rule problems under them. */
function OfferingPicker({ offerings, chosen, onChange, problems, serverError, exclude = [] }: {
  offerings: readonly Offering[];
  chosen: readonly string[];
  onChange: (codes: string[]) => void;
  problems: readonly OrderProblem[];
  serverError?: string;
  exclude?: readonly OfferingKind[];
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const kinds = [OfferingKind.SETUP, OfferingKind.SUBSCRIPTION, OfferingKind.OPTION].filter((k) => !exclude.includes(k));
  const messages = [...problems.map((p) => tr(t, p.key, p.values ?? {})), ...(serverError ? [serverError] : [])];
  return (
    <fieldset className="field offering-picker" aria-describedby={messages.length > 0 ? `${id}-error` : undefined}
      aria-invalid={messages.length > 0 || undefined}>
      <legend>{t('interfaces.picker.legend')} <span className="required" aria-hidden="true">*</span></legend>
      {kinds.map((kind) => {
        const ofKind = offerings.filter((o) => o.kind === kind && !o.retired);
        if (ofKind.length === 0) return null;
        return (
          <div key={kind} className="offering-group">
            <p className="offering-kind">{tr(t, kindGroups[kind])}</p>
            {ofKind.map((o) => (
              <label key={o.code} className="checkbox">
                <input type="checkbox" checked={chosen.includes(o.code)}
                  onChange={(e) => onChange(e.target.checked ? [...chosen, o.code] : chosen.filter((c) => c !== o.code))} />
                {' '}<code>{o.code}</code> {o.name} <span className="muted">{format.money(o.price)}</span>
                {o.associatedCodes.length > 0 && <span className="muted"> · {t('interfaces.picker.needsOneOf', { codes: o.associatedCodes.join(', ') })}</span>}
              </label>
            ))}
          </div>
        );
      })}
      {messages.length > 0 && (
        <ul className="field-error" id={`${id}-error`} role="alert" tabIndex={-1} data-testid="offering-problems">
          {messages.map((m) => <li key={m}>{m}</li>)}
        </ul>
      )}
    </fieldset>
  );
}

/** Checks the rules before the form's own submit: nothing is sent while one fails. */
function guarded<F extends string>(form: FormApi<F>, check: () => OrderProblem[], setProblems: (p: OrderProblem[]) => void): FormApi<F> {
  return {
    ...form,
    onSubmit: (event: FormEvent<HTMLFormElement>) => {
      const problems = check();
      setProblems(problems);
      if (problems.length > 0) {
        event.preventDefault();
        queueMicrotask(() => document.querySelector<HTMLElement>('[data-testid="offering-problems"]')?.focus());
        return;
      }
      form.onSubmit(event);
    },
  };
}

const CONTACT_LABELS = {
  'contact.lastName': 'interfaces.contact.lastName',
  'contact.firstName': 'interfaces.contact.firstName',
  'contact.company': 'interfaces.contact.company',
  'contact.address': 'interfaces.contact.address',
  'contact.postalCode': 'interfaces.contact.postalCode',
  'contact.city': 'interfaces.contact.city',
  'contact.country': 'interfaces.contact.country',
  'contact.phone': 'interfaces.contact.phone',
  'contact.email': 'interfaces.contact.email',
} as const satisfies Record<string, MessageKey>;
type ContactField = keyof typeof CONTACT_LABELS;

export function OrderInterfaceDialog({ resellerId, onClose, onOrdered }: {
  resellerId: string;
  onClose: () => void;
  onOrdered: (answer: CreateInterfaceResponse) => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [requestId] = useState(newRequestId);
  const [codes, setCodes] = useState<string[]>([]);
  const [problems, setProblems] = useState<OrderProblem[]>([]);
  const catalog = useOfferingsOnSale();
  const resellers = useResellerChoices();
  const invalidate = useInvalidate(InterfaceService);
  const order = useMutation(InterfaceService.method.createInterface);
  const offerings = catalog.data?.offerings ?? [];
  const form = useForm({
    initial: {
      resellerId, guid: '', subdomain: '', offeringCodes: '',
      'contact.lastName': '', 'contact.firstName': '', 'contact.company': '', 'contact.address': '', 'contact.postalCode': '',
      'contact.city': '', 'contact.country': 'FR', 'contact.phone': '', 'contact.email': '',
    },
    labels: {
      resellerId: t('interfaces.fields.reseller'), guid: t('interfaces.fields.guid'), subdomain: t('interfaces.fields.subdomain'), offeringCodes: t('interfaces.picker.legend'),
      ...(Object.fromEntries(Object.entries(CONTACT_LABELS).map(([field, key]) => [field, tr(t, key)])) as Record<ContactField, string>),
    },
    required: ['resellerId', 'guid', 'contact.lastName', 'contact.address', 'contact.postalCode', 'contact.city', 'contact.country', 'contact.phone', 'contact.email'],
    reasonFields: { INTERFACE_GUID_EXISTS: 'guid', SUBDOMAIN_TAKEN: 'subdomain', RESELLER_NOT_FOUND: 'resellerId' },
    submit: async (v) => {
      const answer = await order.mutateAsync({
        resellerId: v.resellerId,
        guid: v.guid,
        subdomain: v.subdomain,
        offeringCodes: codes,
        contact: {
          lastName: v['contact.lastName'], firstName: v['contact.firstName'], company: v['contact.company'],
          address: v['contact.address'], postalCode: v['contact.postalCode'], city: v['contact.city'],
          country: v['contact.country'], phone: v['contact.phone'], email: v['contact.email'],
        },
        requestId,
      });
      await invalidate();
      notify({ message: t('interfaces.notify.ordered', { guid: v.guid }) });
      onOrdered(answer);
    },
  });
  const checked = guarded(form, () => orderProblems(codes, offerings), setProblems);
  return (
    <Dialog title={t('interfaces.order')} onClose={onClose} wide>
      <QueryView query={catalog} what={t('interfaces.catalogWhat')}>
        {() => (
          <Form form={checked} submitLabel={t('interfaces.order')} onCancel={onClose}>
            <SelectField name="resellerId" options={resellerOptions(resellers.data?.resellers ?? [], t('common.chooseReseller'))} autoFocus={!resellerId} />
            <TextField name="guid" mono autoFocus={Boolean(resellerId)} hint={t('interfaces.fields.guidHint')} />
            <OfferingPicker offerings={offerings} chosen={codes} problems={problems} serverError={form.errorFor('offeringCodes')}
              onChange={(c) => { setCodes(c); setProblems([]); }} />
            <fieldset className="fieldset">
              <legend>{t('interfaces.contact.legend')}</legend>
              {(Object.keys(CONTACT_LABELS) as ContactField[]).map((name) => (
                <TextField key={name} name={name} mono={name === 'contact.country'}
                  hint={name === 'contact.country' ? t('interfaces.contact.countryHint') : name === 'contact.phone' ? t('interfaces.contact.phoneHint') : undefined} />
              ))}
            </fieldset>
            <TextField name="subdomain" mono hint={t('interfaces.fields.subdomainHint')} />
          </Form>
        )}
      </QueryView>
    </Dialog>
  );
}

export function AddOfferingsDialog({ interfaceKey, live, onClose }: { interfaceKey: string; live: readonly string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [requestId] = useState(newRequestId);
  const [codes, setCodes] = useState<string[]>([]);
  const [problems, setProblems] = useState<OrderProblem[]>([]);
  const catalog = useOfferingsOnSale();
  const invalidate = useInvalidate(InterfaceService);
  const add = useMutation(InterfaceService.method.addInterfaceOfferings);
  const offerings = catalog.data?.offerings ?? [];
  const form = useForm({
    initial: { offeringCodes: '' },
    labels: { offeringCodes: t('interfaces.picker.legend') },
    submit: async () => {
      await add.mutateAsync({ key: interfaceKey, offeringCodes: codes, requestId });
      await invalidate();
      notify({ message: t('interfaces.notify.added', { codes: codes.join(', ') }) });
      onClose();
    },
  });
  const checked = guarded(form, () => orderProblems(codes, offerings, { adding: true, live }), setProblems);
  return (
    <Dialog title={t('interfaces.addOfferings')} onClose={onClose} wide>
      <QueryView query={catalog} what={t('interfaces.catalogWhat')}>
        {() => (
          <Form form={checked} submitLabel={t('interfaces.addOfferings')} onCancel={onClose}>
            <OfferingPicker offerings={offerings} chosen={codes} problems={problems} serverError={form.errorFor('offeringCodes')}
              exclude={[OfferingKind.SETUP]} onChange={(c) => { setCodes(c); setProblems([]); }} />
          </Form>
        )}
      </QueryView>
    </Dialog>
  );
}
