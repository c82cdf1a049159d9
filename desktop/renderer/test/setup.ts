// Testing Library cleans up after each test only when told (no Vitest globals).
// A component rendered without a provider speaks English, as the app does
// on an English system (react-i18next falls back to the last instance made).
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import { createI18n } from '../src/i18n/index.ts';

createI18n('en');
afterEach(() => {
  cleanup();
  localStorage.clear();
});
