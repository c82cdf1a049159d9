// Testing Library cleans up after each test only when told (no Vitest globals).
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(() => cleanup());
