// The "details" corner of a show page: the object's ids, each with a copy
// button, out of the way of the names staff read and type. Ids are for
// support tickets and the API, not for finding things in the console.
import { useTranslation } from 'react-i18next';
import { CopyButton } from './CopyButton.tsx';

export function Details({ ids, children }: { ids: readonly { label: string; value: string }[]; children?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <details className="details-corner">
      <summary>{t('details.summary')}</summary>
      <dl className="facts facts-wide">
        {ids.filter((id) => id.value).map((id) => (
          <div key={id.label} className="facts-row">
            <dt>{id.label}</dt>
            <dd><code>{id.value}</code> <CopyButton text={id.value} label={t('copy.label', { what: id.label })} /></dd>
          </div>
        ))}
        {children}
      </dl>
    </details>
  );
}
