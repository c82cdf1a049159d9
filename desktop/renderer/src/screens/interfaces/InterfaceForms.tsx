// Ordering an interface, and adding offerings to one. The offerings come from
// the catalog (retired ones are not offered) and the ordering rules are
// checked before anything is sent (rules.ts); the server's field violations
// on the contact land next to its fields.
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { CatalogService, OfferingKind, type Offering } from '@gen/reseller/v1/catalog_pb.js';
import { InterfaceService, type CreateInterfaceResponse } from '@gen/reseller/v1/interfaces_pb.js';
import { formatMoney } from '../../api/format.ts';
import { newRequestId, useInvalidate } from '../../api/lists.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Form, SelectField, TextField, useForm, type FormApi } from '../../ui/form.tsx';
import { QueryView } from '../../ui/States.tsx';
import { resellerOptions, useResellerChoices } from '../resellers/resellers.ts';
import { orderProblems } from './rules.ts';

const kindLabels: Record<OfferingKind, string> = {
  [OfferingKind.UNSPECIFIED]: 'Other',
  [OfferingKind.SETUP]: 'Setup',
  [OfferingKind.SUBSCRIPTION]: 'Subscriptions',
  [OfferingKind.OPTION]: 'Options',
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
  problems: readonly string[];
  serverError?: string;
  exclude?: readonly OfferingKind[];
}) {
  const id = useId();
  const kinds = [OfferingKind.SETUP, OfferingKind.SUBSCRIPTION, OfferingKind.OPTION].filter((k) => !exclude.includes(k));
  const messages = [...problems, ...(serverError ? [serverError] : [])];
  return (
    <fieldset className="field offering-picker" aria-describedby={messages.length > 0 ? `${id}-error` : undefined}
      aria-invalid={messages.length > 0 || undefined}>
      <legend>Offerings <span className="required" aria-hidden="true">*</span></legend>
      {kinds.map((kind) => {
        const ofKind = offerings.filter((o) => o.kind === kind && !o.retired);
        if (ofKind.length === 0) return null;
        return (
          <div key={kind} className="offering-group">
            <p className="offering-kind">{kindLabels[kind]}</p>
            {ofKind.map((o) => (
              <label key={o.code} className="checkbox">
                <input type="checkbox" checked={chosen.includes(o.code)}
                  onChange={(e) => onChange(e.target.checked ? [...chosen, o.code] : chosen.filter((c) => c !== o.code))} />
                {' '}<code>{o.code}</code> {o.name} <span className="muted">{formatMoney(o.price)}</span>
                {o.associatedCodes.length > 0 && <span className="muted"> · needs one of {o.associatedCodes.join(', ')}</span>}
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
function guarded<F extends string>(form: FormApi<F>, check: () => string[], setProblems: (p: string[]) => void): FormApi<F> {
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
  'contact.lastName': 'Last name',
  'contact.firstName': 'First name',
  'contact.company': 'Company',
  'contact.address': 'Address',
  'contact.postalCode': 'Postal code',
  'contact.city': 'City',
  'contact.country': 'Country',
  'contact.phone': 'Phone',
  'contact.email': 'Email',
} as const;

export function OrderInterfaceDialog({ resellerId, onClose, onOrdered }: {
  resellerId: string;
  onClose: () => void;
  onOrdered: (answer: CreateInterfaceResponse) => void;
}) {
  const [requestId] = useState(newRequestId);
  const [codes, setCodes] = useState<string[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
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
    labels: { resellerId: 'Reseller', guid: 'Your reference', subdomain: 'Subdomain', offeringCodes: 'Offerings', ...CONTACT_LABELS },
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
      onOrdered(answer);
    },
  });
  const checked = guarded(form, () => orderProblems(codes, offerings), setProblems);
  return (
    <Dialog title="Order interface" onClose={onClose} wide>
      <QueryView query={catalog} what="the catalog">
        {() => (
          <Form form={checked} submitLabel="Order interface" onCancel={onClose}>
            <SelectField name="resellerId" options={resellerOptions(resellers.data?.resellers ?? [], 'Choose a reseller…')} autoFocus={!resellerId} />
            <TextField name="guid" mono autoFocus={Boolean(resellerId)} hint="Your own identifier for it, unique among the reseller's interfaces." />
            <OfferingPicker offerings={offerings} chosen={codes} problems={problems} serverError={form.errorFor('offeringCodes')}
              onChange={(c) => { setCodes(c); setProblems([]); }} />
            <fieldset className="fieldset">
              <legend>Customer</legend>
              {(Object.keys(CONTACT_LABELS) as (keyof typeof CONTACT_LABELS)[]).map((name) => (
                <TextField key={name} name={name} mono={name === 'contact.country'}
                  hint={name === 'contact.country' ? 'ISO code, for example FR.' : name === 'contact.phone' ? 'For example +33 1 23 45 67 89.' : undefined} />
              ))}
            </fieldset>
            <TextField name="subdomain" mono hint="Optional: made from the company (or last name) when empty." />
          </Form>
        )}
      </QueryView>
    </Dialog>
  );
}

export function AddOfferingsDialog({ interfaceKey, live, onClose }: { interfaceKey: string; live: readonly string[]; onClose: () => void }) {
  const [requestId] = useState(newRequestId);
  const [codes, setCodes] = useState<string[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const catalog = useOfferingsOnSale();
  const invalidate = useInvalidate(InterfaceService);
  const add = useMutation(InterfaceService.method.addInterfaceOfferings);
  const offerings = catalog.data?.offerings ?? [];
  const form = useForm({
    initial: { offeringCodes: '' },
    labels: { offeringCodes: 'Offerings' },
    submit: async () => {
      await add.mutateAsync({ key: interfaceKey, offeringCodes: codes, requestId });
      await invalidate();
      onClose();
    },
  });
  const checked = guarded(form, () => orderProblems(codes, offerings, { adding: true, live }), setProblems);
  return (
    <Dialog title="Add offerings" onClose={onClose} wide>
      <QueryView query={catalog} what="the catalog">
        {() => (
          <Form form={checked} submitLabel="Add offerings" onCancel={onClose}>
            <OfferingPicker offerings={offerings} chosen={codes} problems={problems} serverError={form.errorFor('offeringCodes')}
              exclude={[OfferingKind.SETUP]} onChange={(c) => { setCodes(c); setProblems([]); }} />
          </Form>
        )}
      </QueryView>
    </Dialog>
  );
}
