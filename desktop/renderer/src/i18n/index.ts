// The console's languages (French and English) through i18next and
// react-i18next: the messages are in en.ts and fr.ts, the language comes from
// the staff member's choice (kept in localStorage once they make one) or else
// from the OS (navigator.languages), and <html lang> follows it, so screen
// readers, hyphenation and the browser's own controls speak the same language.
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { fr } from './fr.ts';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Where a chosen language is kept (nothing is written until staff choose one). */
export const LANGUAGE_KEY = 'console.language';

function isLanguage(value: string | null | undefined): value is Language {
  return (LANGUAGES as readonly string[]).includes(value ?? '');
}

/** The chosen language, or the OS's first language we have, or English. */
export function detectLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(LANGUAGE_KEY);
  } catch {
    // Storage refused (a locked-down profile): the OS language still works.
  }
  if (isLanguage(stored)) return stored;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = tag?.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/**
 * The locale dates, money and numbers are formatted in: the OS's own variant
 * when it speaks the chosen language (en-US staff keep their dates), else
 * the language's usual one.
 */
export function formatLocale(language: Language): string {
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  const own = preferred.find((tag) => tag?.toLowerCase().split('-')[0] === language && tag.includes('-'));
  return own ?? (language === 'fr' ? 'fr-FR' : 'en-GB');
}

/** One i18next instance for the app (tests make their own with createI18n). */
export function createI18n(language: Language = detectLanguage()): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { en: { translation: en }, fr: { translation: fr } },
    lng: language,
    supportedLngs: [...LANGUAGES],
    // A missing French message would show the English one rather than a key;
    // the message test (test/i18n.test.ts) makes sure none is missing.
    fallbackLng: 'en',
    // React escapes what it renders; escaping here too would show &amp;.
    interpolation: { escapeValue: false },
    returnNull: false,
    // Resources are bundled: init is synchronous, the first render has them.
    initAsync: false,
  });
  // <html lang> and the window's title follow the language.
  const follow = (lng: string) => {
    if (typeof document === 'undefined') return;
    document.documentElement.lang = lng;
    document.title = instance.t('shell.brand');
  };
  follow(instance.language);
  instance.on('languageChanged', follow);
  return instance;
}

/** Switches the language and remembers the choice. */
export async function chooseLanguage(instance: I18n, language: Language): Promise<void> {
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // Not kept across restarts, but switched all the same.
  }
  await instance.changeLanguage(language);
}

export function currentLanguage(instance: I18n): Language {
  const lng = instance.resolvedLanguage ?? instance.language;
  return isLanguage(lng) ? lng : 'en';
}
