// A filter on one client, chosen by name (react-admin's <ReferenceInput> with
// an autocomplete): typing searches the clients by name or code (ListClients,
// one request per pause in typing), the list offers name, code and reseller,
// and the chosen client shows by name with a button to clear it. The address
// keeps its id; its name is read once (GetClient).
import { useId, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { ClientService } from '@gen/reseller/v1/clients_pb.js';
import { useResellerName } from '../screens/resellers/resellers.ts';
import { useDebounced } from './filters.tsx';

export function ClientPicker({ label, value, onChange }: { label: string; value: string; onChange: (clientId: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = useDebounced(text.trim());
  const chosen = useQuery(ClientService.method.getClient, { clientId: value }, { enabled: value !== '' });
  const matches = useQuery(ClientService.method.listClients, { query, pageSize: 10, orderBy: 'name' }, { enabled: open && query !== '' });
  const resellerName = useResellerName();
  const options = query === '' ? [] : matches.data?.clients ?? [];

  if (value) {
    const name = chosen.data?.client?.name ?? (chosen.isError ? value : t('states.loading'));
    return (
      <div className="filter">
        <span className="filter-label" id={`${id}-label`}>{label}</span>
        <span className="chosen" aria-labelledby={`${id}-label`}>
          <strong>{name}</strong>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => { onChange(''); setText(''); }}
            aria-label={t('picker.clear', { name })}>×</button>
        </span>
      </div>
    );
  }
  const choose = (clientId: string) => {
    onChange(clientId);
    setOpen(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); setOpen(true); setActive((a) => Math.min(a + 1, options.length - 1)); }
    else if (event.key === 'ArrowUp') { event.preventDefault(); setActive((a) => Math.max(a - 1, 0)); }
    else if (event.key === 'Enter' && open && options[active]) { event.preventDefault(); choose(options[active]!.clientId); }
    else if (event.key === 'Escape') setOpen(false);
  };
  const expanded = open && query !== '';
  return (
    <div className="filter picker">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="input" type="search" role="combobox" aria-autocomplete="list" aria-expanded={expanded}
        aria-controls={`${id}-list`} aria-activedescendant={expanded && options[active] ? `${id}-${active}` : undefined}
        value={text} placeholder={t('picker.placeholder')} spellCheck={false}
        onChange={(e) => { setText(e.target.value); setOpen(true); setActive(0); }}
        onKeyDown={onKeyDown} onBlur={() => setTimeout(() => setOpen(false), 150)} />
      {expanded && (
        <ul id={`${id}-list`} role="listbox" className="picker-list" aria-label={label}>
          {matches.isPending && <li className="muted picker-note">{t('states.loading')}</li>}
          {!matches.isPending && options.length === 0 && <li className="muted picker-note">{t('picker.noMatch')}</li>}
          {options.map((c, i) => (
            <li key={c.clientId} id={`${id}-${i}`} role="option" aria-selected={i === active} className={i === active ? 'picker-option active' : 'picker-option'}
              onMouseDown={(e) => { e.preventDefault(); choose(c.clientId); }}>
              <strong>{c.name}</strong> <code>{c.code}</code> <span className="muted">{resellerName(c.resellerId)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
