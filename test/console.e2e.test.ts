// The desktop console end to end: Debian's Chromium drives the renderer build
// served by the real server at /console, on a fresh SQLite database, the way
// a staff member uses it. One journey, in order: each step starts where the
// previous one left the screen. Screenshots land in test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { APP_ORIGIN, bundleFile, bundleHeaders } from '../desktop/main/security.ts';
import { createApi, isSessionRequest, isSettingsRequest, SESSION_CHANNEL, SETTINGS_CHANNEL } from '../desktop/preload/api.ts';
import { ServerSettings } from '../desktop/main/server-setting.ts';
import { hasChromium, openBrowser, type TestBrowser } from './support/browser.ts';
import { ADMIN_ID, ADMIN_SECRET, createReseller, startServer, type TestServer } from './support/server.ts';
import { currentCode, enrolPerson, startMailbox, type Mailbox, type Person } from './support/staff.ts';

const DIST = join(import.meta.dirname, '..', 'desktop', 'renderer', 'dist');

const chromium = hasChromium();

/** Waits until the locator shows, then returns its text. */
async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor();
  return (await locator.textContent()) ?? '';
}

/** Shows the API credential form (the sign-in screen opens on the person's form). */
async function credentialForm(page: Page, label = 'Use an API credential instead'): Promise<void> {
  await page.getByRole('button', { name: label }).click();
}

/** Waits until a condition on the page holds (the UI updates asynchronously). */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The error text shown next to a field, found through the field's aria-describedby. */
async function fieldError(page: Page, scope: Locator, label: string): Promise<string> {
  const field = scope.getByLabel(label);
  await eventually(async () => (await field.getAttribute('aria-invalid')) === 'true', `${label} marked invalid`);
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ');
  const errorId = ids.find((id) => id.endsWith('-error'))!;
  return textOf(page.locator(`[id="${errorId}"]`));
}

function row(scope: Page | Locator, text: string): Locator {
  return scope.getByRole('row').filter({ hasText: text });
}

/** A link of the sidebar. */
function nav(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name });
}

describe.skipIf(!chromium)('desktop console in Chromium', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;
  const pageErrors: string[] = [];
  let clientId = '';

  beforeAll(async () => {
    // Webhooks to the test's own receiver on loopback (the webhooks step).
    server = await startServer('sqlite', { env: { WEBHOOK_ALLOW_LOOPBACK: 'true' } });
    browser = await openBrowser();
    page = browser.page;
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A CSP refusal shows up only here: collect them to fail on them. (The
    // 4xx answers this journey provokes on purpose are logged too: not those.)
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sign in: refuses a wrong secret with the server\'s message and reason, then signs in', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByRole('heading', { name: 'Reseller console' }).waitFor();
    await credentialForm(page);
    expect(await page.getByLabel('Server URL').inputValue()).toBe(server.url);
    await browser.screenshot('01-sign-in');

    await page.getByLabel('Client id').fill(ADMIN_ID);
    await page.getByLabel('Secret').fill('cs_wrong_secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    expect(await textOf(alert)).toContain('client_id or client_secret is wrong');
    expect(await textOf(alert.getByTestId('error-reason'))).toBe('INVALID_CREDENTIALS');

    await page.getByLabel('Secret').fill(ADMIN_SECRET);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The home screen: what staff check first.
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/home');
    await page.getByText('No interface is waiting for installation.').waitFor();
  });

  it('resellers: a required name is asked for, then the reseller is created and listed', async () => {
    await nav(page, 'Resellers').click();
    await page.getByRole('heading', { name: 'Resellers', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New reseller' }).click();
    const dialog = page.getByRole('dialog', { name: 'New reseller' });
    await dialog.getByRole('button', { name: 'Create reseller' }).click();
    expect(await fieldError(page, dialog, 'Company name')).toBe('Company name is required');

    await dialog.getByLabel('Company name').fill('Acme Telecom');
    await dialog.getByRole('button', { name: 'Create reseller' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The new reseller's page opens, and a notification says it was created.
    await page.getByRole('heading', { name: 'Acme Telecom', level: 1 }).waitFor();
    expect(await textOf(page.getByTestId('toast').first())).toContain('Reseller Acme Telecom created');
    await nav(page, 'Resellers').click();
    await row(page, 'Acme Telecom').waitFor();
    await browser.screenshot('02-resellers');
  });

  it('credentials: issues a reseller credential whose secret shows once, copies, and works', async () => {
    await page.getByRole('link', { name: 'Credentials of Acme Telecom' }).click();
    await page.getByRole('heading', { name: 'Credentials', level: 1 }).waitFor();
    await page.getByText('No active credentials for Acme Telecom.').waitFor();

    await page.getByRole('button', { name: 'New credential' }).click();
    const dialog = page.getByRole('dialog', { name: 'New credential' });
    // The reseller the list is filtered on is the one preselected.
    expect(await dialog.getByLabel('Reseller').locator('option:checked').textContent()).toBe('Acme Telecom');
    await dialog.getByLabel('Name').fill('Acme API');
    await dialog.getByRole('button', { name: 'Issue credential' }).click();

    const issued = page.getByRole('dialog', { name: 'Credential issued' });
    const secret = await textOf(issued.getByTestId('issued-secret'));
    const issuedClientId = await textOf(issued.getByTestId('issued-client-id'));
    expect(secret).toMatch(/^cs_/);
    expect(issuedClientId).toMatch(/^ck_/);
    await issued.getByRole('button', { name: 'Copy secret' }).click();
    await issued.getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await browser.screenshot('03-credential-secret');

    const token = await server.call('AuthService', 'CreateToken', { clientId: issuedClientId, clientSecret: secret });
    expect(token.status).toBe(200);

    await issued.getByRole('button', { name: 'I have stored the secret' }).click();
    await issued.waitFor({ state: 'detached' });
    await row(page, 'Acme API').waitFor();
    // The dialogs closed: the focus is back on the button that opened them, not on <body>.
    expect(await page.getByRole('button', { name: 'New credential' }).evaluate((b) => b === document.activeElement)).toBe(true);
    // Gone for good: nothing on the page shows the secret any more.
    expect(await page.content()).not.toContain(secret);
  });

  it('credentials: revoking asks first; after confirming, the credential stops working', async () => {
    await page.getByRole('button', { name: 'New credential' }).click();
    const dialog = page.getByRole('dialog', { name: 'New credential' });
    await dialog.getByLabel('Name').fill('Temporary key');
    await dialog.getByRole('button', { name: 'Issue credential' }).click();
    const issued = page.getByRole('dialog', { name: 'Credential issued' });
    const secret = await textOf(issued.getByTestId('issued-secret'));
    const tempClientId = await textOf(issued.getByTestId('issued-client-id'));
    await issued.getByRole('button', { name: 'I have stored the secret' }).click();

    await page.getByRole('button', { name: 'Revoke Temporary key' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Revoke “Temporary key”?' });
    await confirm.waitFor();
    await browser.screenshot('04-confirm-revoke');
    // Cancel has the focus: Enter on a reflex does not revoke.
    expect(await confirm.getByRole('button', { name: 'Cancel' }).evaluate((b) => b === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect((await server.call('AuthService', 'CreateToken', { clientId: tempClientId, clientSecret: secret })).status).toBe(200);

    await page.getByRole('button', { name: 'Revoke Temporary key' }).click();
    await confirm.getByRole('button', { name: 'Revoke credential' }).click();
    await confirm.waitFor({ state: 'detached' });
    await row(page, 'Temporary key').waitFor({ state: 'detached' });
    expect((await server.call('AuthService', 'CreateToken', { clientId: tempClientId, clientSecret: secret })).status).toBe(401);

    await page.getByLabel('Show revoked').click();
    expect(await textOf(row(page, 'Temporary key'))).toContain('Revoked');
    await eventually(() => page.getByLabel('Show revoked').isChecked(), '"Show revoked" checked');
  });

  it('clients: registering shows the server\'s field violations next to the fields, then opens the new client', async () => {
    await nav(page, 'Clients').click();
    await page.getByRole('button', { name: 'Register client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Register client' });
    await dialog.getByLabel('Reseller').selectOption({ label: 'Acme Telecom' });
    await dialog.getByLabel('Name').fill('Boulangerie Martin');
    await dialog.getByLabel('Code').fill('BM 001');
    await dialog.getByRole('button', { name: 'Register client' }).click();
    expect(await fieldError(page, dialog, 'Code')).toBe('Code must be 1 to 64 letters, digits, ".", "_" or "-"');
    expect(await textOf(dialog.getByTestId('error-reason'))).toBe('INVALID_ARGUMENT');
    // The focus moved to the field to fix.
    expect(await dialog.getByLabel('Code').evaluate((input) => input === document.activeElement)).toBe(true);
    await browser.screenshot('05-field-violation');

    await dialog.getByLabel('Code').fill('BM-001');
    await dialog.getByRole('button', { name: 'Register client' }).click();
    await page.getByRole('heading', { name: 'Boulangerie Martin', level: 1 }).waitFor();
    clientId = page.url().split('/').pop()!;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('client detail: adds a site, then equipment on it; the counts follow', async () => {
    await page.getByRole('button', { name: 'Add site' }).click();
    const siteDialog = page.getByRole('dialog', { name: 'Add site' });
    await siteDialog.getByLabel('Site name').fill('Head office');
    await siteDialog.getByRole('button', { name: 'Add site' }).click();
    await siteDialog.waitFor({ state: 'detached' });
    await row(page.getByRole('table', { name: 'Sites of Boulangerie Martin' }), 'Head office').waitFor();

    await page.getByRole('tab', { name: 'Equipment' }).click();
    await page.getByRole('button', { name: 'Add equipment' }).click();
    const equipment = page.getByRole('dialog', { name: 'Add equipment' });
    await equipment.getByRole('button', { name: 'Add equipment' }).click();
    expect(await fieldError(page, equipment, 'Kind')).toBe('Kind is required');
    await equipment.getByLabel('Kind').selectOption({ label: 'Desk phone' });
    await equipment.getByLabel('Label').fill('Reception desk');
    await equipment.getByLabel('PBX device id').fill('pbx-100');
    await equipment.getByLabel('Serial number').fill('SN-0001');
    await equipment.getByRole('button', { name: 'Add equipment' }).click();
    await equipment.waitFor({ state: 'detached' });
    await row(page, 'Reception desk').waitFor();
    await page.getByRole('tab', { name: 'Sites' }).click();
    const sites = page.getByRole('table', { name: 'Sites of Boulangerie Martin' });
    await eventually(async () => (await row(sites, 'Head office').locator('td').nth(1).textContent()) === '1', 'the site to count its equipment');
    await browser.screenshot('06-client-detail');

    const stored = await server.call('ClientService', 'GetClient', { clientId }, server.adminToken);
    expect(stored.body.client).toMatchObject({ siteCount: 1, equipmentCount: 1 });
  });

  it('accounts and devices: founds a family, grants the roles, links the equipment and assigns it, accepting the charge', async () => {
    await page.getByRole('tab', { name: 'Families' }).click();
    await page.getByRole('button', { name: 'Found a family' }).click();
    const found = page.getByRole('dialog', { name: 'Found a family' });
    await found.getByLabel('Family name').fill('Martin household');
    await found.getByRole('textbox', { name: /^Identifier/ }).fill('anna@example.com');
    await found.getByLabel('First name').fill('Anna');
    await found.getByRole('button', { name: 'Found family' }).click();
    // The family's page, its founder linked by name; then the account's page.
    await page.getByRole('heading', { name: 'Family Martin household', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Anna (anna@example.com)' }).click();
    await page.getByRole('heading', { name: 'Account Anna (anna@example.com)', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Grant UC user' }).click();
    await page.getByRole('button', { name: 'Revoke UC user' }).waitFor();
    await page.getByRole('button', { name: 'Grant UC softphone user' }).click();
    await page.getByRole('button', { name: 'Revoke UC softphone user' }).waitFor();

    // The seats included for the client are used up by other devices of the account (through the API).
    const seat = (await server.call('CatalogService', 'GetOffering', { code: 'UC-SOFTPHONE-SEAT' }, server.adminToken)).body.offering;
    const accountId = (await server.call('ProvisioningService', 'SearchAccount', { clientId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: 'anna@example.com' }, server.adminToken)).body.account.accountId;
    const siteId = (await server.call('ClientService', 'GetClient', { clientId }, server.adminToken)).body.client.sites[0].siteId;
    for (let i = 0; i < seat.includedQuantity; i++) {
      const deviceId = `pbx-included-${i}`;
      expect((await server.call('ClientService', 'AddEquipment', { siteId, kind: 'EQUIPMENT_KIND_SOFTPHONE', pbxDeviceId: deviceId }, server.adminToken)).status).toBe(200);
      expect((await server.call('DeviceService', 'LinkDevice', { clientId, accountId, deviceId }, server.adminToken)).status).toBe(200);
      const assigned = await server.call('DeviceService', 'AssignDevice', { clientId, accountId, deviceId, clientType: 'SOFTPHONE_CLIENT_TYPE_MOBILE' }, server.adminToken);
      expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    }
    // A reload forgets the session (memory only), not the address: back on the account's page.
    await page.reload();
    await credentialForm(page);
    await page.getByLabel('Client id').fill(ADMIN_ID);
    await page.getByLabel('Secret').fill(ADMIN_SECRET);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Account Anna (anna@example.com)', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Devices' }).click();

    await page.getByRole('button', { name: 'Link device' }).click();
    const link = page.getByRole('dialog', { name: 'Link device' });
    await link.getByLabel('Equipment').selectOption('pbx-100');
    await link.getByRole('button', { name: 'Link device' }).click();
    await link.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Assign pbx-100' }).click();
    const assign = page.getByRole('dialog', { name: 'Assign pbx-100' });
    await assign.getByLabel('Client type').selectOption({ label: 'Desktop' });
    await assign.getByRole('button', { name: 'Assign device' }).click();
    const charge = page.getByRole('alertdialog', { name: 'Accept the charge?' });
    const total = await textOf(charge.getByTestId('charge-total'));
    expect(total.replace(/\D/g, '')).toBe(String(seat.price.amountMinor));
    await browser.screenshot('07a-charge-confirmation');
    await charge.getByRole('button', { name: /^Accept .* and assign$/ }).click();
    await charge.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Unassign pbx-100' }).waitFor();
    await browser.screenshot('07b-accounts-devices');
    const charges = await server.call('DeviceService', 'ListCharges', { clientId }, server.adminToken);
    expect(charges.body.charges.map((c: { deviceId: string }) => c.deviceId)).toEqual(['pbx-100']);

    // The client lists its families and accounts (ListFamilies, ListAccounts), by name, with their totals.
    await page.getByRole('link', { name: 'Boulangerie Martin' }).first().click();
    await page.getByRole('heading', { name: 'Boulangerie Martin', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Families' }).click();
    await page.getByRole('table', { name: 'Families of Boulangerie Martin' }).getByRole('link', { name: 'Martin household' }).waitFor();
    await page.getByRole('tab', { name: 'Accounts', exact: true }).click();
    const accounts = page.getByRole('table', { name: 'Accounts of Boulangerie Martin' });
    await accounts.getByRole('link', { name: 'Anna' }).waitFor();
    await accounts.getByRole('link', { name: 'Martin household' }).waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).getByText('1 in all').waitFor();
    // The account's history: its creation by the founding, who made it, what was set.
    await accounts.getByRole('link', { name: 'Anna' }).click();
    await page.getByRole('heading', { name: 'Account Anna (anna@example.com)', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    const founding = row(page.getByRole('table', { name: 'History of Anna (anna@example.com)' }), 'Founded a family');
    expect(await textOf(founding)).toContain('bootstrap admin (ADMIN_CLIENT_ID)');
    expect(await textOf(founding)).toContain('First name');
    await page.getByRole('link', { name: 'Boulangerie Martin' }).first().click();
    await page.getByRole('heading', { name: 'Boulangerie Martin', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Accounts', exact: true }).click();
    await accounts.getByRole('link', { name: 'Anna' }).waitFor();
    await browser.screenshot('07c-client-accounts');
  });

  it('edit: sends the etag it read; a change made meanwhile is refused (aborted) until the latest version is loaded', async () => {
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    let dialog = page.getByRole('dialog', { name: 'Edit Boulangerie Martin' });
    await dialog.getByLabel('Name').fill('Boulangerie Martin & Fils');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Boulangerie Martin & Fils', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    dialog = page.getByRole('dialog', { name: 'Edit Boulangerie Martin & Fils' });
    // Someone else changes the client while the dialog is open.
    const other = await server.call('ClientService', 'UpdateClient', { clientId, code: 'BM-002' }, server.adminToken);
    expect(other.status).toBe(200);
    await dialog.getByLabel('Name').fill('Boulangerie Martin et Fille');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    expect(await textOf(dialog.getByTestId('error-reason'))).toBe('ETAG_MISMATCH');
    expect(await textOf(dialog.getByRole('alert'))).toContain('changed since you read it');
    await browser.screenshot('07-etag-conflict');
    expect((await server.call('ClientService', 'GetClient', { clientId }, server.adminToken)).body.client.name).toBe('Boulangerie Martin & Fils');

    await dialog.getByRole('button', { name: 'Load the latest version' }).click();
    await eventually(async () => (await dialog.getByLabel('Code').inputValue()) === 'BM-002', 'the latest version in the form');
    await dialog.getByLabel('Name').fill('Boulangerie Martin et Fille');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Boulangerie Martin et Fille', level: 1 }).waitFor();
  });

  it('deactivate: asks for confirmation, then the client is inactive (and can be reactivated)', async () => {
    await page.getByRole('tab', { name: 'Sites' }).click();
    await page.getByRole('button', { name: 'Deactivate' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Deactivate Boulangerie Martin et Fille?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect((await server.call('ClientService', 'GetClient', { clientId }, server.adminToken)).body.client.status).toBe('CLIENT_STATUS_ACTIVE');

    await page.getByRole('button', { name: 'Deactivate' }).click();
    await confirm.getByRole('button', { name: 'Deactivate client' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText('This client is inactive').waitFor();
    // Disabled, and saying why on hover and focus.
    const addSite = page.getByRole('button', { name: 'Add site' });
    expect(await addSite.getAttribute('aria-disabled')).toBe('true');
    await addSite.hover();
    await page.getByRole('tooltip', { name: 'The client is inactive: reactivate it first' }).waitFor();
    await browser.screenshot('08-client-inactive');
    expect((await server.call('ClientService', 'GetClient', { clientId }, server.adminToken)).body.client.status).toBe('CLIENT_STATUS_INACTIVE');

    await page.getByRole('button', { name: 'Reactivate' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Reactivate client' }).click();
    await page.getByRole('button', { name: 'Deactivate' }).waitFor();
    // The notification offers to undo it: Undo deactivates again.
    const toast = page.getByTestId('toast').filter({ hasText: 'Client Boulangerie Martin et Fille reactivated' });
    await toast.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('This client is inactive').waitFor();
    expect((await server.call('ClientService', 'GetClient', { clientId }, server.adminToken)).body.client.status).toBe('CLIENT_STATUS_INACTIVE');

    // Its history, newest first, in words.
    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.getByRole('table', { name: 'History of Boulangerie Martin et Fille' });
    await history.getByRole('row').nth(1).waitFor();
    expect(await textOf(history.getByRole('row').nth(1))).toContain('Deactivated the client');
    const all = await textOf(history);
    for (const step of ['Registered the client', 'Changed the client', 'Reactivated the client']) expect(all).toContain(step);
    expect(all).toContain('Name');
    expect(all).not.toMatch(/nameLower|searchText/);
    await browser.screenshot('08b-client-history');
  });

  it('clients list: pages with nextPageToken, sorts, filters and exports what it shows as CSV', async () => {
    const globex = await createReseller(server, 'Globex Networks');
    for (let i = 0; i < 30; i++) {
      const code = `G-${String(i).padStart(2, '0')}`;
      const answer = await server.call('ClientService', 'RegisterClient', { name: `Globex client ${code}`, code }, globex.token);
      expect(answer.status).toBe(200);
    }
    await nav(page, 'Clients').click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByLabel('Reseller').selectOption({ label: 'Globex Networks' });
    await page.getByLabel('Rows per page').selectOption('25');
    await page.getByRole('columnheader', { name: /Code/ }).getByRole('button').click();
    // The sorted page replaces the unsorted one (same row count): wait for its first row.
    await eventually(async () => (await page.getByRole('row').count()) === 26 && ((await page.getByRole('row').nth(1).textContent()) ?? '').includes('G-00'), 'a first page of 25 rows, by code');
    await page.getByRole('button', { name: 'Next →' }).click();
    await eventually(async () => (await page.getByRole('row').count()) === 6, 'a second page of 5 rows');
    expect(await textOf(page.getByRole('row').nth(1))).toContain('G-25');
    expect(await page.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '← Previous' }).click();
    await eventually(async () => (await page.getByRole('row').count()) === 26, 'the first page again');

    // Descending by code, narrowed by a search: the export is the same list.
    await page.getByRole('columnheader', { name: /Code/ }).getByRole('button').click();
    await page.getByLabel('Search name or code').fill('G-1');
    await eventually(async () => (await page.getByRole('row').count()) === 11, 'the 10 clients matching G-1');
    expect(await textOf(page.getByRole('row').nth(1))).toContain('G-19');
    await browser.screenshot('09-clients');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^clients-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv[0]).toBe('Name,Code,Reseller,Status,Sites,Equipment,Registered,Client id');
    expect(csv.slice(1).map((line) => line.split(',')[1])).toEqual(['G-19', 'G-18', 'G-17', 'G-16', 'G-15', 'G-14', 'G-13', 'G-12', 'G-11', 'G-10']);
    expect(csv[1]).toContain('Globex client G-19,G-19,Globex Networks,Active,0,0,');

    // Status filter: only the deactivated bakery is inactive.
    await page.getByLabel('Search name or code').fill('');
    await page.getByLabel('Reseller').selectOption({ label: 'Every reseller' });
    await page.getByLabel('Status').selectOption({ label: 'Inactive' });
    await eventually(async () => (await page.getByRole('row').count()) === 2, 'the one inactive client');
    expect(await textOf(page.getByRole('row').nth(1))).toContain('Boulangerie Martin et Fille');
    expect(new URL(page.url()).searchParams.get('status')).toBe('2');
  });

  it('errors: an unknown client shows the server\'s message and reason, and a way to retry', async () => {
    await page.goto(`${server.url}/console/clients/01890000-0000-7000-8000-000000000000`);
    // A reload forgets the session (memory only): sign in again, the address is kept.
    await credentialForm(page);
    await page.getByLabel('Client id').fill(ADMIN_ID);
    await page.getByLabel('Secret').fill(ADMIN_SECRET);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    expect(await textOf(alert)).toContain('client 01890000-0000-7000-8000-000000000000 not found');
    expect(await textOf(alert.getByTestId('error-reason'))).toBe('CLIENT_NOT_FOUND');
    await page.getByRole('button', { name: 'Try again' }).waitFor();
  });

  it('charges and audit trail: the charge is listed with its total; the journey\'s steps are in the audit trail', async () => {
    await nav(page, 'Charges').click();
    await page.getByRole('heading', { name: 'Charges', level: 1 }).waitFor();
    // The client is chosen by name, and the charge shows it by name.
    await page.getByRole('combobox', { name: 'Client' }).fill('Boulangerie');
    await page.getByRole('option', { name: /Boulangerie Martin et Fille/ }).click();
    await row(page, 'pbx-100').waitFor();
    expect(new URL(page.url()).searchParams.get('client')).toBe(clientId);
    expect(await textOf(row(page, 'pbx-100'))).toContain('Boulangerie Martin et Fille');
    // Or by a part of clients' names or codes, ignoring case (client_query): each charge shows its client's name and code.
    await nav(page, 'Charges').click();
    await page.getByLabel('Client name or code').fill('martin ET fille');
    await eventually(async () => new URL(page.url()).searchParams.get('clientq') === 'martin ET fille', 'the search in the address');
    const charge = await textOf(row(page, 'pbx-100'));
    expect(charge).toContain('Boulangerie Martin et Fille');
    expect(charge).toContain('BM-002');
    await browser.screenshot('10-charges');
    await page.getByLabel('Client name or code').fill('nobody at all');
    await page.getByText('No charge matches these filters.').waitFor();

    await nav(page, 'Audit trail').click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    // Object types and what each call did, in words.
    for (const [type, label] of [['Family', 'Founded a family'], ['DeviceLink', 'Linked a device'], ['Client', 'Deactivated the client']]) {
      await page.getByLabel('Object type').selectOption(type);
      await row(page, label!).first().waitFor();
    }
    // Each object by its name when the event was recorded, linked to its page; the changed fields in words.
    const deactivated = row(page, 'Deactivated the client').first();
    expect(await textOf(deactivated.getByRole('link', { name: 'Boulangerie Martin et Fille' }))).toBe('Boulangerie Martin et Fille');
    expect(await textOf(deactivated)).toContain('Status');
    // Who by the credential's display name; the actor filter takes what the table shows (a part of it).
    expect(await textOf(deactivated)).toContain('bootstrap admin (ADMIN_CLIENT_ID)');
    await page.getByLabel('Made by').fill('Bootstrap Admin');
    await eventually(async () => {
      const madeBy = await page.getByRole('table', { name: 'Audit events' }).getByRole('row').evaluateAll((rows) => rows.slice(1).map((r) => r.lastElementChild?.textContent));
      return madeBy.length > 0 && madeBy.every((actor) => actor === 'bootstrap admin (ADMIN_CLIENT_ID)');
    }, 'only the admin\'s changes');
    await row(page, 'Deactivated the client').first().waitFor();
    expect(new URL(page.url()).searchParams.get('actor')).toBe('Bootstrap Admin');
    await browser.screenshot('11-audit');
  });

  it('interfaces: the order form checks the catalog\'s rules before sending, shows the server\'s violations next to the contact fields, then orders', async () => {
    await nav(page, 'Interfaces').click();
    await page.getByRole('heading', { name: 'Interfaces', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Order interface' }).click();
    const dialog = page.getByRole('dialog', { name: 'Order interface' });
    const offering = (code: string) => dialog.getByRole('checkbox', { name: new RegExp(`^\\s*${code} `) });
    await offering('IN-BTQST-S').waitFor();
    await dialog.getByLabel('Reseller').selectOption({ label: 'Acme Telecom' });
    await dialog.getByLabel('Your reference').fill('bm-shop-1');
    const contact: [string, string][] = [
      ['Last name', 'Martin'], ['First name', 'Claire'], ['Company', 'Boulangerie Martin'], ['Address', '12 rue des Lilas'],
      ['Postal code', '6900'], ['City', 'Lyon'], ['Phone', '+33 4 72 00 00 00'], ['Email', 'claire@boulangerie-martin.fr'],
    ];
    for (const [label, value] of contact) await dialog.getByLabel(new RegExp(`^${label}`)).fill(value);

    // The boutique setup without its subscription: refused before sending.
    await offering('IN-BTQST-S').check();
    await offering('MO-NEWSLETTER-AMM').check();
    await dialog.getByRole('button', { name: 'Order interface' }).click();
    expect(await textOf(dialog.getByTestId('offering-problems'))).toContain('IN-BTQST-S needs one of IN-BTQZ-AMM, IN-BTQZ-AMA in the same order.');

    // With it, the server checks the contact: a four-digit French postal code goes back next to its field.
    await offering('IN-BTQZ-AMM').check();
    await dialog.getByRole('button', { name: 'Order interface' }).click();
    expect(await fieldError(page, dialog, 'Postal code')).toBe('Postal code must be five digits in France');
    await browser.screenshot('12-interface-order');
    await dialog.getByLabel('Postal code').fill('69003');
    await dialog.getByRole('button', { name: 'Order interface' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Boulangerie Martin', level: 1 }).waitFor();
    for (const code of ['IN-BTQST-S', 'IN-BTQZ-AMM', 'MO-NEWSLETTER-AMM']) await page.getByRole('table', { name: `${code} lines` }).waitFor();
  });

  it('interface detail: cancelling the option asks first, then its line is cancelled; the order is in the audit trail', async () => {
    await page.getByRole('button', { name: 'Cancel all MO-NEWSLETTER-AMM' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Cancel every MO-NEWSLETTER-AMM line?' });
    await confirm.getByRole('button', { name: 'Cancel all MO-NEWSLETTER-AMM' }).click();
    await confirm.waitFor({ state: 'detached' });
    const lines = page.getByRole('table', { name: 'MO-NEWSLETTER-AMM lines' });
    await lines.locator('.badge', { hasText: 'Cancelled' }).waitFor();
    expect(await textOf(row(page.getByRole('table', { name: 'IN-BTQZ-AMM lines' }), 'IN-BTQZ-AMM'))).toContain('Live');
    await browser.screenshot('13-interface-detail');

    await nav(page, 'Audit trail').click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await page.getByLabel('Object type').selectOption('ShopInterface');
    await row(page, 'Ordered the interface').first().waitFor();
    await page.getByLabel('Object type').selectOption('InterfaceOfferingLine');
    await row(page, 'Cancelled an offering line').first().waitFor();
  });

  it('catalog: offerings with price and associations, one rendered with its HTML description; smartphones', async () => {
    await nav(page, 'Offerings').click();
    await page.getByRole('heading', { name: 'Offerings', level: 1 }).waitFor();
    const setup = page.getByRole('table', { name: 'Offerings' }).getByRole('row').filter({ has: page.getByRole('link', { name: 'IN-BTQST-S', exact: true }) });
    expect(await textOf(setup)).toContain('IN-BTQZ-AMM');
    await setup.getByRole('link', { name: 'IN-BTQST-S' }).click();
    const description = page.getByTestId('long-description');
    expect(await textOf(description.locator('strong'))).toBe('abonnement boutique');
    await browser.screenshot('14-offering');

    await nav(page, 'Smartphones').click();
    await page.getByRole('heading', { name: 'Smartphones', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Smartphones' }).getByRole('row').nth(1).waitFor();
  });

  it('catalog editing: an admin creates an offering (the server\'s violations next to the fields), edits it (etag), retires it after confirming; creates and edits a smartphone', async () => {
    await nav(page, 'Offerings').click();
    await page.getByRole('heading', { name: 'Offerings', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New offering' }).click();
    const dialog = page.getByRole('dialog', { name: 'New offering' });
    await dialog.getByLabel('Code').fill('mo-stats-amm');
    await dialog.getByLabel('Name').fill('Statistiques');
    await dialog.getByLabel('Kind').selectOption({ label: 'Option' });
    await dialog.getByLabel('Price').fill('19,90');
    await dialog.getByLabel('Billing').selectOption({ label: 'Every month' });
    await dialog.getByLabel('Short description').fill('Visits and sales, month by month');
    await dialog.getByLabel('Long description').fill('<p>Des <strong>statistiques</strong> détaillées.</p><script>alert(1)</script><img src="x" onerror="alert(2)">');
    await dialog.getByLabel('Needs one of').fill('IN-BTQZ-AMM, IN-NOPE');
    await dialog.getByLabel('Project form').selectOption('yes');
    await dialog.getByRole('button', { name: 'Create offering' }).click();
    expect(await fieldError(page, dialog, 'Code')).toBe('Code must be upper-case letters, digits and single dashes, starting with a letter (like IN-BTQST-S)');

    await dialog.getByLabel('Code').fill('MO-STATS-AMM');
    await dialog.getByRole('button', { name: 'Create offering' }).click();
    expect(await fieldError(page, dialog, 'Needs one of')).toBe('Needs one of: offering IN-NOPE does not exist');
    expect(await textOf(dialog.getByTestId('error-reason'))).toBe('UNKNOWN_OFFERING_CODE');
    await browser.screenshot('14a-offering-form');
    expect((await server.call('CatalogService', 'GetOffering', { code: 'MO-STATS-AMM' }, server.adminToken)).status).toBe(404);

    await dialog.getByLabel('Needs one of').fill('IN-BTQZ-AMM, IN-BTQZ-AMA');
    await dialog.getByRole('button', { name: 'Create offering' }).click();
    await page.getByRole('heading', { name: 'Statistiques', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/offerings/MO-STATS-AMM');
    const facts = await textOf(page.locator('.facts').first());
    for (const shown of ['Option', '€19.90 per month', 'IN-BTQZ-AMA', 'Sent to the customer']) expect(facts).toContain(shown);
    // Sanitised by the server: the formatting is kept, the script and the handler are gone.
    const description = page.getByTestId('long-description');
    expect(await textOf(description.locator('strong'))).toBe('statistiques');
    expect(await description.locator('script, img').count()).toBe(0);
    let stored = (await server.call('CatalogService', 'GetOffering', { code: 'MO-STATS-AMM' }, server.adminToken)).body.offering;
    expect(stored).toMatchObject({
      name: 'Statistiques', shortDescription: 'Visits and sales, month by month', price: { amountMinor: '1990', currency: 'EUR' },
      kind: 'OFFERING_KIND_OPTION', billingPeriod: 'BILLING_PERIOD_MONTHLY', associatedCodes: ['IN-BTQZ-AMM', 'IN-BTQZ-AMA'], projectForm: true,
    });
    expect(stored.longDescription).toContain('<strong>statistiques</strong>');
    expect(stored.longDescription).not.toMatch(/script|onerror|<img/);

    // Edit: the code is fixed; someone saves through the API while the form is open.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Statistiques' });
    expect(await edit.getByLabel('Code').count()).toBe(0);
    expect(await edit.getByLabel('Price').inputValue()).toBe('19.90');
    const other = await server.call('CatalogService', 'UpsertOffering', {
      code: 'MO-STATS-AMM', name: stored.name, shortDescription: 'Changed through the API', longDescription: stored.longDescription, price: stored.price,
      kind: stored.kind, billingPeriod: stored.billingPeriod, associatedCodes: stored.associatedCodes, projectForm: stored.projectForm, etag: stored.etag,
    }, server.adminToken);
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    await edit.getByLabel('Name').fill('Statistiques avancées');
    await edit.getByLabel('Price').fill('24.90');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    expect(await textOf(edit.getByTestId('error-reason'))).toBe('ETAG_MISMATCH');
    expect(await textOf(edit.getByRole('alert'))).toContain('changed since you read it');
    expect((await server.call('CatalogService', 'GetOffering', { code: 'MO-STATS-AMM' }, server.adminToken)).body.offering.name).toBe('Statistiques');

    await edit.getByRole('button', { name: 'Load the latest version' }).click();
    await eventually(async () => (await edit.getByLabel('Short description').inputValue()) === 'Changed through the API', 'the latest version in the form');
    await edit.getByLabel('Name').fill('Statistiques avancées');
    await edit.getByLabel('Price').fill('24.90');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Statistiques avancées', level: 1 }).waitFor();
    await edit.waitFor({ state: 'detached' });
    expect(await textOf(page.locator('.facts').first())).toContain('€24.90 per month');
    await browser.screenshot('14b-offering-edited');
    stored = (await server.call('CatalogService', 'GetOffering', { code: 'MO-STATS-AMM' }, server.adminToken)).body.offering;
    expect(stored).toMatchObject({ name: 'Statistiques avancées', shortDescription: 'Changed through the API', price: { amountMinor: '2490' }, retired: false });

    // Retire: asks first; Cancel retires nothing.
    await page.getByRole('button', { name: 'Retire', exact: true }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Retire Statistiques avancées?' });
    await confirm.waitFor();
    await browser.screenshot('14c-confirm-retire');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect((await server.call('CatalogService', 'GetOffering', { code: 'MO-STATS-AMM' }, server.adminToken)).body.offering.retired).toBe(false);
    await page.getByRole('button', { name: 'Retire', exact: true }).click();
    await confirm.getByRole('button', { name: 'Retire offering' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.locator('.badge', { hasText: 'Retired' }).waitFor();
    expect(await page.getByRole('button', { name: 'Retire', exact: true }).count()).toBe(0);
    expect((await server.call('CatalogService', 'GetOffering', { code: 'MO-STATS-AMM' }, server.adminToken)).body.offering.retired).toBe(true);

    // The list shows it only with the retired ones.
    await nav(page, 'Offerings').click();
    const includeRetired = page.getByLabel('Include retired');
    await includeRetired.click();
    expect(await textOf(row(page, 'MO-STATS-AMM'))).toContain('Retired');
    await eventually(() => includeRetired.isChecked(), '"Include retired" checked');
    await includeRetired.click();
    await eventually(async () => !(await includeRetired.isChecked()) && (await row(page, 'MO-STATS-AMM').count()) === 0, 'the retired offering to leave the list');

    // Smartphones: a new one, then edited from its row.
    await nav(page, 'Smartphones').click();
    await page.getByRole('heading', { name: 'Smartphones', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New smartphone' }).click();
    const phone = page.getByRole('dialog', { name: 'New smartphone' });
    const fields: [string, string][] = [['SKU', 'FAIRPHONE-6-256-BLUE'], ['Brand', 'Fairphone'], ['Model', '6'], ['Storage (GB)', '256'], ['Colour', 'Blue'], ['Price', '599']];
    for (const [label, value] of fields) await phone.getByLabel(label).fill(value);
    await phone.getByLabel('Availability').selectOption({ label: 'In stock' });
    await phone.getByRole('button', { name: 'Create smartphone' }).click();
    await phone.waitFor({ state: 'detached' });
    expect(await textOf(row(page, 'FAIRPHONE-6-256-BLUE'))).toContain('€599.00');

    // The same SKU again through "New smartphone": refused next to the SKU, the stored one left as it is.
    await page.getByRole('button', { name: 'New smartphone' }).click();
    for (const [label, value] of fields) await phone.getByLabel(label).fill(label === 'Model' ? '6 (typed again)' : value);
    await phone.getByLabel('Availability').selectOption({ label: 'Discontinued' });
    await phone.getByRole('button', { name: 'Create smartphone' }).click();
    expect(await fieldError(page, phone, 'SKU')).toBe('SKU is taken by an existing smartphone');
    expect(await textOf(phone.getByTestId('error-reason'))).toBe('SMARTPHONE_SKU_EXISTS');
    await phone.getByRole('button', { name: 'Cancel' }).click();
    await phone.waitFor({ state: 'detached' });
    expect(await textOf(row(page, 'FAIRPHONE-6-256-BLUE'))).toContain('In stock');

    await page.getByRole('button', { name: 'Edit FAIRPHONE-6-256-BLUE' }).click();
    const phoneEdit = page.getByRole('dialog', { name: 'Edit Fairphone 6' });
    expect(await phoneEdit.getByLabel('Price').inputValue()).toBe('599.00');
    await phoneEdit.getByLabel('Price').fill('549');
    await phoneEdit.getByLabel('Availability').selectOption({ label: 'Out of stock' });
    await phoneEdit.getByRole('button', { name: 'Save changes' }).click();
    await phoneEdit.waitFor({ state: 'detached' });
    await eventually(async () => ((await row(page, 'FAIRPHONE-6-256-BLUE').textContent()) ?? '').includes('Out of stock'), 'the edited smartphone in the list');
    expect(await textOf(row(page, 'FAIRPHONE-6-256-BLUE'))).toContain('€549.00');
    await browser.screenshot('14d-smartphones');
    const phones = (await server.call('CatalogService', 'ListSmartphones', { query: 'fairphone 6' }, server.adminToken)).body.smartphones;
    expect(phones.find((p: { sku: string }) => p.sku === 'FAIRPHONE-6-256-BLUE')).toMatchObject({
      brand: 'Fairphone', model: '6', storageGb: 256, colour: 'Blue', price: { amountMinor: '54900', currency: 'EUR' }, availability: 'SMARTPHONE_AVAILABILITY_OUT_OF_STOCK',
    });
  });

  it('French and English: the sidebar switches the language (kept across a reload), <html lang>, dates and CSV for French Excel follow', async () => {
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('navigation', { name: 'Écrans' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await page.getByRole('navigation', { name: 'Écrans' }).getByRole('link', { name: 'Accueil' }).click();
    await page.getByRole('heading', { name: 'Accueil', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Dernières modifications' }).waitFor();
    await browser.screenshot('16-home-fr');

    await page.getByRole('navigation', { name: 'Écrans' }).getByRole('link', { name: 'Clients' }).click();
    await page.getByLabel('Chercher un nom ou un code').fill('BM-002');
    const bakery = row(page, 'BM-002');
    await eventually(async () => (await page.getByRole('row').count()) === 2, 'the one client matching BM-002');
    // A French date (the month's French abbreviation) and French words.
    expect(await textOf(bakery)).toMatch(/Inactif.*\d{1,2} [a-zéû]+\.? \d{4}/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter en CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^clients-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Nom;Code;Revendeur;Statut;Sites;Équipements;Enregistré le;Identifiant du client');
    expect(lines[1]).toMatch(/^Boulangerie Martin et Fille;BM-002;Acme Telecom;Inactif;1;\d+;\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2};[0-9a-f-]{36}$/);

    await bakery.getByRole('link').first().click();
    await page.getByRole('tab', { name: 'Historique' }).click();
    const history = page.getByRole('table', { name: 'Historique de Boulangerie Martin et Fille' });
    expect(await textOf(history.getByRole('row').nth(1))).toContain('A désactivé le client');
    await browser.screenshot('17-client-history-fr');
    // Its accounts, in French.
    await page.getByRole('tab', { name: 'Comptes', exact: true }).click();
    await page.getByRole('table', { name: 'Comptes de Boulangerie Martin et Fille' }).getByRole('link', { name: 'Anna' }).waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).getByText('1 au total').waitFor();
    // And their CSV for French Excel: semicolons, words in French, local time.
    const [accountsCsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter en CSV' }).click()]);
    expect(accountsCsv.suggestedFilename()).toMatch(/^comptes-\d{4}-\d{2}-\d{2}\.csv$/);
    const accountLines = readFileSync((await accountsCsv.path())!, 'utf8').slice(1).trim().split('\r\n');
    expect(accountLines[1]).toMatch(/^Anna;anna@example\.com;E-mail;Martin household \(Super administrateur\);Utilisateur UC, Utilisateur UC softphone;fr_FR;\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2};[0-9a-f-]{36}$/);
    // The audit trail in French: names, fields and actions in words.
    await page.getByRole('navigation', { name: 'Écrans' }).getByRole('link', { name: 'Journal d’audit' }).click();
    await page.getByLabel('Type d’objet').selectOption('Client');
    const deactivatedFr = row(page, 'A désactivé le client').first();
    expect(await textOf(deactivatedFr)).toContain('Boulangerie Martin et Fille');
    expect(await textOf(deactivatedFr)).toContain('Statut');
    await page.getByRole('navigation', { name: 'Écrans' }).getByRole('link', { name: 'Clients' }).click();
    await page.getByLabel('Chercher un nom ou un code').fill('BM-002');
    await row(page, 'BM-002').getByRole('link').first().click();
    await page.getByRole('tab', { name: 'Historique' }).click();

    // The choice is kept: a reload (and a new sign-in) is still in French.
    await page.reload();
    await credentialForm(page, 'Utiliser plutôt un identifiant d’API');
    await page.getByLabel('Identifiant client').fill(ADMIN_ID);
    await page.getByLabel('Secret').fill(ADMIN_SECRET);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('tab', { name: 'Historique' }).waitFor();
    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('tab', { name: 'History' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('layout at 1024 px: the sidebar folds behind Menu, tables scroll inside their card, the page never scrolls sideways', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    try {
      await page.getByRole('tab', { name: 'Equipment' }).click();
      await page.getByRole('table', { name: /^Equipment of/ }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Screens' }).isVisible()).toBe(false);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await browser.screenshot('18-narrow-client');
      await page.getByRole('button', { name: /Menu/ }).click();
      await nav(page, 'Audit trail').click();
      await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Screens' }).isVisible()).toBe(false);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      // Codes and badges do not break mid-word: each stays on one line.
      const broken = await page.evaluate(() => Array.from(document.querySelectorAll('.table code, .table .badge'))
        .filter((e) => e.getClientRects().length > 1).map((e) => e.textContent));
      expect(broken).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('webhooks: a reseller\'s endpoint is registered with its secret shown once; its deliveries are listed and one is redelivered; it is paused', async () => {
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { received.push(body); res.writeHead(200).end('thanks'); });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    try {
      // A reseller of its own: the client it registers changes no other step's lists.
      const { resellerId } = await createReseller(server, 'Hooks Partner');
      await nav(page, 'Resellers').click();
      await row(page, 'Hooks Partner').getByRole('link', { name: 'Hooks Partner', exact: true }).click();
      await page.getByRole('heading', { name: 'Hooks Partner', level: 1 }).waitFor();
      await page.getByRole('tab', { name: 'Webhooks' }).click();
      await page.getByText('Hooks Partner has no webhook endpoint yet.').waitFor();
      await page.getByRole('button', { name: 'New endpoint' }).click();
      const dialog = page.getByRole('dialog', { name: 'New endpoint' });
      await dialog.getByLabel('URL').fill(hook);
      await dialog.getByLabel('Description').fill('Acme ERP');
      await dialog.getByRole('button', { name: 'Register endpoint' }).click();
      const shown = page.getByRole('dialog', { name: 'The endpoint’s signing secret' });
      const secret = await textOf(shown.getByTestId('webhook-secret'));
      expect(secret).toMatch(/^whsec_/);
      await shown.getByRole('button', { name: 'I have stored it' }).click();
      await shown.waitFor({ state: 'detached' });
      expect(await textOf(row(page, hook))).toContain('Active');
      expect(await page.content()).not.toContain(secret);

      // An event of the reseller's, delivered to the endpoint.
      expect((await server.call('ClientService', 'RegisterClient', { name: 'Hooked Bakery', code: 'HOOK-1', resellerId }, server.adminToken)).status).toBe(200);
      // The test clock stands still while the call stamped its event with the real time: bring it up to now.
      server.clock.set(new Date());
      await server.app.deliverWebhooks();
      expect(received.map((b) => JSON.parse(b).typeName)).toEqual(['client.registered']);

      await page.getByRole('button', { name: `Deliveries to ${hook}` }).click();
      const deliveries = page.getByRole('dialog', { name: `Deliveries to ${hook}` });
      const attempt = row(deliveries, 'client.registered');
      expect(await textOf(attempt)).toContain('Delivered');
      expect(await textOf(attempt)).toContain('200');
      await attempt.getByRole('button', { name: 'Deliver event client.registered again' }).click();
      await page.getByTestId('toast').filter({ hasText: 'Event client.registered will be delivered again.' }).waitFor();
      server.clock.set(new Date());
      await server.app.deliverWebhooks();
      expect(received).toHaveLength(2);
      expect(JSON.parse(received[1]!).eventId).toBe(JSON.parse(received[0]!).eventId);
      await page.keyboard.press('Escape');
      await deliveries.waitFor({ state: 'detached' });

      await page.getByRole('button', { name: `Pause ${hook}` }).click();
      await eventually(async () => (await textOf(row(page, hook))).includes('Paused'), 'the endpoint paused');
    } finally {
      await new Promise((resolve) => { receiver.closeAllConnections(); receiver.close(resolve); });
    }
  });

  it('roles: a reseller credential is turned away; a support credential reads every screen and is offered no action that changes anything', async () => {
    const issued = await server.call('AccessService', 'CreateCredential', { role: 'ROLE_SUPPORT', displayName: 'Support desk' }, server.adminToken);
    expect(issued.status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await credentialForm(page);
    // A reseller's credential is turned away, saying where it works.
    const reseller = await createReseller(server, 'Console Visitor');
    await page.getByLabel('Client id').fill(reseller.clientId);
    await page.getByLabel('Secret').fill(reseller.clientSecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await textOf(page.getByRole('alert'))).toContain('This console is for staff credentials');

    await page.getByLabel('Client id').fill(issued.body.credential.clientId);
    await page.getByLabel('Secret').fill(issued.body.clientSecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Support: reads only').waitFor();
    await nav(page, 'Clients').click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Clients' }).getByRole('row').nth(1).waitFor();
    expect(await page.getByRole('button', { name: 'Register client' }).count()).toBe(0);

    // The journey's client: its sites and equipment are shown, with no action on them.
    await page.getByLabel('Search name or code').fill('BM-002');
    await row(page, 'BM-002').getByRole('link').first().click();
    await eventually(async () => page.url().endsWith(`/clients/${clientId}`), 'the journey\'s client opened');
    const sites = page.getByRole('table', { name: /^Sites of/ });
    await sites.getByRole('row').nth(1).waitFor();
    await page.getByRole('tab', { name: 'Equipment' }).click();
    await page.getByRole('table', { name: /^Equipment of/ }).getByRole('row').nth(1).waitFor();
    for (const name of ['Edit', 'Deactivate', 'Reactivate', 'Add site', 'Add equipment', 'Found a family', 'Link device']) {
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    expect(await page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    await browser.screenshot('15-support-read-only');

    await nav(page, 'Credentials').click();
    await page.getByRole('heading', { name: 'Credentials', level: 1 }).waitFor();
    await row(page, 'Support desk').waitFor();
    expect(await page.getByRole('button', { name: 'New credential' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);

    // The catalog reads the same, with no new, edit or retire.
    await nav(page, 'Offerings').click();
    await page.getByRole('heading', { name: 'Offerings', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'IN-BTQST-S', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'New offering' }).count()).toBe(0);
    await page.getByRole('link', { name: 'IN-BTQST-S', exact: true }).click();
    await page.getByTestId('long-description').waitFor();
    expect(await page.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Retire/ }).count()).toBe(0);
    await nav(page, 'Smartphones').click();
    await row(page, 'FAIRPHONE-6-256-BLUE').waitFor();
    expect(await page.getByRole('button', { name: 'New smartphone' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    await browser.screenshot('15b-support-catalog');
  });

  it('ran without a script error or a CSP refusal in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});

// The renderer as Electron runs it: from its own origin (not the server's),
// with the CSP that desktop/main sends, and the preload's window.desktop. The
// Electron binary cannot be downloaded here, so a small server plays the
// app:// protocol handler with the same file mapping and headers.
describe.skipIf(!chromium)('desktop console as the Electron app runs it', () => {
  let server: TestServer;
  let bundle: http.Server;
  let bundleUrl: string;
  let browser: TestBrowser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    bundle = http.createServer((req, res) => {
      const file = bundleFile(DIST, `${APP_ORIGIN}${req.url}`);
      if (!file || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, ...bundleHeaders(server.url) }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => bundle.listen(0, '127.0.0.1', resolve));
    bundleUrl = `http://127.0.0.1:${(bundle.address() as AddressInfo).port}`;
    server = await startServer('sqlite', { env: { CORS_ORIGINS: bundleUrl } });
    browser = await openBrowser();
    browser.page.setDefaultTimeout(10_000);
    browser.page.on('pageerror', (error) => pageErrors.push(error.message));
    // What the preload exposes: its data from the preload's own code, its calls
    // through a binding to what the main process runs for them. The settings
    // are the main process's own ServerSettings, on a file of this test; a
    // staff person's session needs Electron's safeStorage, so that channel
    // answers "signed out" (test/desktop.test.ts covers its keeper).
    const saved: { text?: string } = {};
    // Started with SERVER_URL naming the test's server: the main process then
    // hands the window --server-url (the saved server, else SERVER_URL).
    const settings = new ServerSettings({ read: () => saved.text, write: (text) => { saved.text = text; } }, server.url);
    await browser.context.exposeBinding('desktopInvoke', async (_source, channel: string, request: unknown) => {
      if (channel === SETTINGS_CHANNEL && isSettingsRequest(request)) {
        return request.kind === 'getServer' ? settings.get() : settings.set(request.url);
      }
      if (channel === SESSION_CHANNEL && isSessionRequest(request)) return { signedIn: false };
      throw new Error(`refused: ${channel}`);
    });
    const { serverUrl, kind } = createApi([`--server-url=${server.url}`]);
    await browser.context.addInitScript(({ serverUrl, kind, settingsChannel, sessionChannel }) => {
      const invoke = (channel: string, request: unknown) => (window as unknown as { desktopInvoke: (c: string, r: unknown) => Promise<unknown> }).desktopInvoke(channel, request);
      Object.defineProperty(window, 'desktop', {
        value: Object.freeze({
          serverUrl, kind,
          session: (request: unknown) => invoke(sessionChannel, request),
          settings: Object.freeze({
            getServer: () => invoke(settingsChannel, { kind: 'getServer' }),
            setServer: (url: string) => invoke(settingsChannel, { kind: 'setServer', url }),
          }),
        }),
      });
    }, { serverUrl, kind, settingsChannel: SETTINGS_CHANNEL, sessionChannel: SESSION_CHANNEL });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((resolve) => bundle?.close(resolve));
  });

  it('asks for a server at first start, refuses one that is not a reseller server, keeps one that is', async () => {
    const { page } = browser;
    await page.goto(`${bundleUrl}/console/`);
    await page.getByText('Choose the reseller server this console works with.').waitFor();
    // The settings are read from the main process after the screen shows ("Reading the settings…" until then).
    const current = page.getByTestId('current-server');
    await current.filter({ hasText: 'default: no server chosen yet' }).waitFor();
    expect(await current.textContent()).toBe(`${server.url} (default: no server chosen yet)`);
    await page.getByLabel('Server address').fill(bundleUrl);
    await page.getByRole('button', { name: 'Check and save' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('not as a reseller server');
    await page.getByLabel('Server address').fill(server.url);
    await page.getByRole('button', { name: 'Check and save' }).click();
    await page.getByRole('status').filter({ hasText: `${server.url} answers and is saved` }).waitFor();
  });

  it('signs in to the server chosen in Settings, across origins (CORS), and works', async () => {
    const { page } = browser;
    // The main process reopens the window on the saved server; here, a reload.
    await page.goto(`${bundleUrl}/console/`);
    await credentialForm(page);
    // No server field to type: the app calls only the server chosen in Settings (its CSP allows that one).
    expect(await page.getByLabel('Server URL').count()).toBe(0);
    await page.getByText('The server chosen in Settings').waitFor();
    await page.getByLabel('Client id').fill(ADMIN_ID);
    await page.getByLabel('Secret').fill(ADMIN_SECRET);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await nav(page, 'Resellers').click();
    await page.getByText('No resellers yet.').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('cannot call any other server: the CSP pins connect-src to the server URL', async () => {
    const { page } = browser;
    const elsewhere = server.url.replace('127.0.0.1', 'localhost');
    const answer = await page.evaluate(async (url) => {
      const violation = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true }));
      const outcome = await fetch(`${url}/healthz`).then(() => 'reached', (e: Error) => e.name);
      return { outcome, directive: await violation };
    }, elsewhere);
    expect(answer).toEqual({ outcome: 'TypeError', directive: 'connect-src' });
  });
});

describe.skipIf(!chromium)('a staff person signs in to the browser console with TOTP (issue 20)', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let mailbox: Mailbox;
  let person: Person;

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startServer('sqlite', { env: { JOB_INTERVAL_MS: '3600000', SMTP_URL: mailbox.url } });
    person = await enrolPerson(server, mailbox, 'ROLE_ADMIN', 'Chloe Chromium');
    browser = await openBrowser();
    browser.page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mailbox?.close();
  });

  it('signs in with a computed TOTP code; a reload keeps the person signed in; the refresh cookie is out of the page\'s reach; signing out ends it', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('E-mail').fill(person.email);
    await page.getByLabel('Password').fill('not the password 123');
    await page.getByLabel('Code').fill(await currentCode(server, person.totpSecret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await textOf(page.getByRole('alert'))).toContain('the e-mail, password or code is wrong');

    await page.getByLabel('Password').fill(person.password);
    await page.getByLabel('Code').fill(await currentCode(server, person.totpSecret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByText('Chloe Chromium').first().waitFor();
    await browser.screenshot('30-person-signed-in');

    // The refresh token: an HttpOnly cookie scripts cannot read, for the session routes only.
    expect(await page.evaluate(() => document.cookie)).not.toContain('staff_refresh');
    const cookies = await browser.context.cookies(`${server.url}/console/session/refresh`);
    expect(cookies.find((c) => c.name === 'staff_refresh')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });

    // A reload resumes the session: no sign-in form.
    await page.reload();
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await nav(page, 'Resellers').click();
    await page.getByRole('heading', { name: 'Resellers', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail').waitFor();
    await page.reload();
    await page.getByLabel('E-mail').waitFor();
    const sessions = await server.call('StaffService', 'ListSessions', { staffUserId: person.staffUserId, includeEnded: true }, server.adminToken);
    expect(sessions.body.sessions.map((s: any) => s.revokeReason)).toEqual(['sign_out']);
  });
});
