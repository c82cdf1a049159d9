// The controls above a list: search, selects, checkboxes and times, each labelled.
import { useEffect, useId, useState } from 'react';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Option } from './form.tsx';

/** Follows `value` after the user has stopped typing for `ms`. */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function SearchFilter({ label, value, onChange, placeholder }: { label: string; value: string; onChange: (v: string) => void; placeholder?: string }) {
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" className="input" value={value} placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)} spellCheck={false} />
    </div>
  );
}

export function SelectFilter({ label, value, onChange, options, inline = false }: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: readonly Option[];
  /** Label beside the select rather than above it. */
  inline?: boolean;
}) {
  const id = useId();
  return (
    <div className={inline ? 'filter filter-inline' : 'filter'}>
      <label htmlFor={id}>{label}</label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </div>
  );
}

export function CheckboxFilter({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="filter filter-checkbox">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** A local date and time (the browser shows it in the language's own way). */
export function DateTimeFilter({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="datetime-local" className="input" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** A `datetime-local` value (local time) as a Timestamp; undefined when empty or invalid. */
export function localTimestamp(value: string) {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : timestampFromDate(date);
}

export const PAGE_SIZES: Option[] = [25, 50, 100, 200].map((n) => ({ value: String(n), label: String(n) }));
