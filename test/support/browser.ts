// Debian's Chromium driven by playwright-core, for the console's end-to-end
// tests (no downloaded browsers: these machines reach npm and Debian only).
// Without CI the tests skip, saying why, when Chromium is missing; with
// CI=true a missing Chromium fails the run.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** Whether the console tests can run here; throws under CI=true when they cannot. */
export function hasChromium(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const why = `Chromium not found at ${CHROMIUM_PATH}: install it with apt-get install -y chromium (or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${why}`);
  console.warn(`skipping the console's browser tests: ${why}`);
  return false;
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Saves test-results/screenshots/<name>.png. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    locale: 'en-GB',
    timezoneId: 'Europe/Paris',
  });
  const page = context.pages()[0] ?? await context.newPage();
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    async screenshot(name) {
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
