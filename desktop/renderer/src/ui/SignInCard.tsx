// The card the screens before sign-in share (sign-in, the desktop app's first
// start): the brand, the language switch, and what the screen asks.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch.tsx';

export function SignInCard({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <div className="sign-in-header">
          <h1>{t('shell.brand')}</h1>
          <LanguageSwitch />
        </div>
        {children}
      </div>
    </main>
  );
}
