// Saved filters of one list ("Acme's inactive clients"), kept in this
// computer's storage for the next time: choosing one puts its filters, sort
// and page size in the address; the one matching the address shows as chosen.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListParams } from '../api/lists.ts';
import { Button } from './Button.tsx';
import { Dialog } from './Dialog.tsx';
import { SelectFilter } from './filters.tsx';
import { Form, TextField, useForm } from './form.tsx';
import { useNotify } from './Notifications.tsx';

export interface SavedFilter {
  name: string;
  /** The query string: filters, sort and page size, without the page. */
  query: string;
}

const key = (list: string) => `console.savedFilters.${list}`;

export function readSaved(list: string): SavedFilter[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(list)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((f): f is SavedFilter => typeof f?.name === 'string' && typeof f?.query === 'string') : [];
  } catch {
    return [];
  }
}

function writeSaved(list: string, saved: SavedFilter[]): void {
  try {
    localStorage.setItem(key(list), JSON.stringify(saved));
  } catch {
    // Storage refused: the filter lasts as long as the address.
  }
}

/** Query strings compared whatever the order of their parameters. */
function same(a: string, b: string): boolean {
  const sort = (q: string) => [...new URLSearchParams(q)].map(([k, v]) => `${k}=${v}`).sort().join('&');
  return sort(a) === sort(b);
}

export function SavedFilters({ list, params }: { list: string; params: ListParams }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [saved, setSaved] = useState(() => readSaved(list));
  const [naming, setNaming] = useState(false);
  const current = saved.find((f) => same(f.query, params.filters));
  const update = (next: SavedFilter[]) => {
    writeSaved(list, next);
    setSaved(next);
  };
  const options = [
    { value: '', label: saved.length ? t('savedFilters.choose') : t('savedFilters.none') },
    ...saved.map((f) => ({ value: f.name, label: f.name })),
  ];
  return (
    <div className="saved-filters">
      <SelectFilter label={t('savedFilters.label')} value={current?.name ?? ''} options={options}
        onChange={(name) => { const f = saved.find((s) => s.name === name); params.applyFilters(f?.query ?? ''); }} />
      {current ? (
        <Button className="btn btn-small" onClick={() => {
          update(saved.filter((f) => f !== current));
          notify({ message: t('savedFilters.deleted', { name: current.name }), undo: async () => update(saved), undone: t('savedFilters.restored', { name: current.name }) });
        }} aria-label={t('savedFilters.deleteNamed', { name: current.name })}>{t('savedFilters.delete')}</Button>
      ) : (
        <Button className="btn btn-small" onClick={() => setNaming(true)} disabledReason={params.filters === '' && t('savedFilters.nothingToSave')}>
          {t('savedFilters.save')}
        </Button>
      )}
      {naming && <NameDialog onClose={() => setNaming(false)} taken={saved.map((f) => f.name)} onSave={(name) => {
        update([...saved.filter((f) => f.name !== name), { name, query: params.filters }].sort((a, b) => a.name.localeCompare(b.name)));
        setNaming(false);
        notify({ message: t('savedFilters.saved', { name }) });
      }} />}
    </div>
  );
}

function NameDialog({ onClose, onSave, taken }: { onClose: () => void; onSave: (name: string) => void; taken: string[] }) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { name: '' },
    labels: { name: t('savedFilters.name') },
    required: ['name'],
    submit: async (v) => onSave(v.name.trim()),
  });
  return (
    <Dialog title={t('savedFilters.saveTitle')} onClose={onClose}>
      <Form form={form} submitLabel={t('savedFilters.save')} onCancel={onClose}>
        <TextField name="name" autoFocus hint={taken.includes(form.values.name.trim()) ? t('savedFilters.replaces') : t('savedFilters.nameHint')} />
      </Form>
    </Dialog>
  );
}
