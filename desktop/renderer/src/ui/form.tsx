// Forms: values, the required-field and other checks made before sending,
// and the server's answer put where it belongs — each field violation
// (ErrorDetail.fieldViolations) next to its field, the message and reason
// above the buttons. After a refusal the first field in error gets the focus.
import { createContext, useContext, useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemOf, type Problem, type Violation } from '../api/errors.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { tr } from '../i18n/keys.ts';

type Values<F extends string> = Record<F, string>;

export interface FormOptions<F extends string> {
  initial: Values<F>;
  /** Checked before sending: an empty one is marked "is required" and nothing is sent. */
  required?: readonly NoInfer<F>[];
  /**
   * Further checks before sending, for what the request cannot carry as typed
   * (an amount that is not a number): a message per field; nothing is sent
   * while there is one.
   */
  check?: (values: Values<F>) => Partial<Record<NoInfer<F>, string>>;
  /** Labels (translated), to write "Code is required" rather than "is required". */
  labels: Record<F, string>;
  /**
   * Refusals without field violations that still concern one field, by
   * reason: CLIENT_CODE_EXISTS belongs next to the code.
   */
  reasonFields?: Record<string, NoInfer<F>>;
  /** Sends the form; throws the server's error to have it shown. */
  submit: (values: Values<F>) => Promise<unknown>;
}

export interface FormApi<F extends string> {
  values: Values<F>;
  set: (field: F, value: string) => void;
  errorFor: (field: F) => string | undefined;
  labelFor: (field: F) => string;
  isRequired: (field: F) => boolean;
  problem: Problem | undefined;
  /** Violations for fields this form does not show. */
  unshown: Violation[];
  busy: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  /** Bumped on every refusal, to move the focus. */
  attempt: number;
}

export function useForm<F extends string>(options: FormOptions<F>): FormApi<F> {
  const { t } = useTranslation();
  const [values, setValues] = useState(options.initial);
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({});
  const [problem, setProblem] = useState<Problem>();
  const [unshown, setUnshown] = useState<Violation[]>([]);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const fields = Object.keys(options.labels) as F[];
  const labelFor = (field: F) => options.labels[field];

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const missing: Partial<Record<F, string>> = {};
    for (const field of options.required ?? []) {
      if (values[field].trim() === '') missing[field] = t('form.required', { label: labelFor(field) });
    }
    for (const [field, message] of Object.entries(options.check?.(values) ?? {}) as [F, string | undefined][]) {
      if (message && !missing[field]) missing[field] = message;
    }
    if (Object.keys(missing).length > 0) {
      setErrors(missing);
      setProblem(undefined);
      setUnshown([]);
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    setErrors({});
    setProblem(undefined);
    setUnshown([]);
    options.submit(values).then(() => setBusy(false), (error: unknown) => {
      const p = problemOf(error);
      const byField: Partial<Record<F, string>> = {};
      const rest: Violation[] = [];
      for (const v of p.violations) {
        // One item of a list (associatedCodes[1]) belongs next to the list's field.
        const field = fields.find((f) => f === v.field || v.field.startsWith(`${f}[`));
        if (!field) {
          rest.push(v);
          continue;
        }
        // "Code must be …"; an item: "Needs one of: offering X does not exist".
        const first = tr(t, field === v.field ? 'form.violation' : 'form.itemViolation', { label: labelFor(field), description: v.description });
        byField[field] = byField[field] ? `${byField[field]}; ${v.description}` : first;
      }
      const reasonField = options.reasonFields?.[p.reason];
      if (reasonField && !byField[reasonField]) byField[reasonField] = p.message;
      setErrors(byField);
      setProblem(p);
      setUnshown(rest);
      setBusy(false);
      setAttempt((n) => n + 1);
    });
  };

  return {
    values,
    set: (field, value) => {
      setValues((v) => ({ ...v, [field]: value }));
      // The message described the old value; editing the field answers it.
      setErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));
    },
    errorFor: (field) => errors[field],
    labelFor,
    isRequired: (field) => (options.required ?? []).includes(field),
    problem,
    unshown,
    busy,
    onSubmit,
    attempt,
  };
}

const FormContext = createContext<FormApi<string> | null>(null);

function useFormContext(): FormApi<string> {
  const form = useContext(FormContext);
  if (!form) throw new Error('a field outside <Form>');
  return form;
}

export function Form<F extends string>({ form, submitLabel, onCancel, children, extraActions }: {
  form: FormApi<F>;
  submitLabel: string;
  onCancel?: () => void;
  children: ReactNode;
  extraActions?: ReactNode;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (form.attempt === 0) return;
    const invalid = ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? ref.current?.querySelector<HTMLElement>('[role="alert"]'))?.focus();
  }, [form.attempt]);
  return (
    <FormContext.Provider value={form as unknown as FormApi<string>}>
      {/* noValidate: our messages, next to the fields, in the server's words. */}
      <form ref={ref} className="form" onSubmit={form.onSubmit} noValidate aria-busy={form.busy}>
        {children}
        {form.problem && <ErrorNotice problem={form.problem} unshown={form.unshown} />}
        <div className="form-actions">
          {extraActions}
          {onCancel && <button type="button" className="btn" onClick={onCancel} disabled={form.busy}>{t('common.cancel')}</button>}
          <button type="submit" className="btn btn-primary" disabled={form.busy}>{form.busy ? t('common.saving') : submitLabel}</button>
        </div>
      </form>
    </FormContext.Provider>
  );
}

/** What every field's control carries: its value bound to the form, its label, hint and error wired for assistive technology. */
interface ControlProps {
  id: string;
  name: string;
  value: string;
  onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => void;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
  'aria-required': true | undefined;
}

function FieldFrame({ name, hint, children }: { name: string; hint?: ReactNode; children: (control: ControlProps) => ReactNode }) {
  const form = useFormContext();
  const id = useId();
  const error = form.errorFor(name);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const control: ControlProps = {
    id, name, value: form.values[name] ?? '', onChange: (e) => form.set(name, e.target.value),
    'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, 'aria-required': form.isRequired(name) || undefined,
  };
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>
        {form.labelFor(name)}
        {form.isRequired(name) && <span className="required" aria-hidden="true"> *</span>}
      </label>
      {children(control)}
      {hint && <p className="field-hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p className="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

export function TextField({ name, hint, type = 'text', autoFocus, autoComplete = 'off', placeholder, mono }: {
  name: string;
  hint?: ReactNode;
  type?: 'text' | 'password' | 'url' | 'search';
  autoFocus?: boolean;
  autoComplete?: string;
  placeholder?: string;
  mono?: boolean;
}) {
  return (
    <FieldFrame name={name} hint={hint}>
      {(control) => (
        <input
          {...control}
          type={type}
          className={mono ? 'input mono' : 'input'}
          autoFocus={autoFocus}
          data-autofocus={autoFocus || undefined}
          autoComplete={autoComplete}
          placeholder={placeholder}
          spellCheck={false}
        />
      )}
    </FieldFrame>
  );
}

/** Several lines: a long description, HTML. */
export function TextAreaField({ name, hint, rows = 6, mono }: { name: string; hint?: ReactNode; rows?: number; mono?: boolean }) {
  return (
    <FieldFrame name={name} hint={hint}>
      {(control) => (
        <textarea
          {...control}
          className={mono ? 'input textarea mono' : 'input textarea'}
          rows={rows}
          spellCheck={false}
        />
      )}
    </FieldFrame>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({ name, options, hint, autoFocus }: { name: string; options: readonly Option[]; hint?: ReactNode; autoFocus?: boolean }) {
  return (
    <FieldFrame name={name} hint={hint}>
      {(control) => (
        <select
          {...control}
          className="input"
          autoFocus={autoFocus}
          data-autofocus={autoFocus || undefined}
        >
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </FieldFrame>
  );
}

/** After an aborted update (someone saved first): load their version, then edit that. */
export function ReloadLatestButton({ problem, onReload }: { problem: Problem | undefined; onReload: () => void }) {
  const { t } = useTranslation();
  if (problem?.code !== 'aborted') return null;
  return (
    <button type="button" className="btn" onClick={onReload}>{t('form.loadLatest')}</button>
  );
}
