// The console's language: French or English, each named in its own language
// so that it can be found whichever is on screen. The choice is kept.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, currentLanguage, type Language } from '../i18n/index.ts';

const names: Record<Language, string> = { fr: 'Français', en: 'English' };

export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className={dark ? 'language language-dark' : 'language'}>
      <label htmlFor={id}>{t('shell.language')}</label>
      <select id={id} className="input" value={currentLanguage(i18n)}
        onChange={(e) => void chooseLanguage(i18n, e.target.value as Language)}>
        {(Object.keys(names) as Language[]).map((lng) => <option key={lng} value={lng} lang={lng}>{names[lng]}</option>)}
      </select>
    </div>
  );
}
