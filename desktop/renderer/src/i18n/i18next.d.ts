// Types t() from the English messages: a key that does not exist in en.ts
// fails `tsc` (npm run lint), and fr.ts must have the same keys (its type).
import 'i18next';
import type { en } from './en.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
