// An address the console has no screen for.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../ui/Page.tsx';

export function NotFoundScreen() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.text')} <Link to="/home">{t('notFound.home')}</Link></p>
    </Page>
  );
}
