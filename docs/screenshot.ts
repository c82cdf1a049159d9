// Takes the README's screenshots of the console (docs/console-<screen>.<lang>.png),
// in English and in French: a fresh server with a few realistic resellers,
// clients, interfaces, families and accounts (one with a charged seat), and
// the audit trail all that leaves; Debian's Chromium at 1280x800.
//   npm run screenshots     (the console is built by npm install or npm run build)
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openBrowser } from '../test/support/browser.ts';
import { ADMIN_ID, ADMIN_SECRET, createReseller, startServer, type TestServer } from '../test/support/server.ts';

async function ok(answer: Promise<{ status: number; body: any }>) {
  const { status, body } = await answer;
  if (status !== 200) throw new Error(JSON.stringify(body));
  return body;
}

async function seed(server: TestServer) {
  const lyon = await createReseller(server, 'Télécom Lyonnais');
  const azur = await createReseller(server, 'Azur Réseaux');
  await createReseller(server, 'Bretagne Connect');
  const clients = [
    [lyon, 'Boulangerie Lefèvre', 'BL-001'], [lyon, 'Pharmacie du Centre', 'PC-014'], [azur, 'Garage Dupont & Fils', 'GD-7'],
    [lyon, 'Cabinet Leroy Avocats', 'CLA-2'], [azur, 'Hôtel des Voyageurs', 'HV-31'], [lyon, 'Fleurs & Jardins', 'FJ-88'],
  ] as const;
  const ids: Record<string, string> = {};
  for (const [reseller, name, code] of clients) {
    ids[code] = (await ok(server.call('ClientService', 'RegisterClient', { name, code }, reseller.token))).client.clientId;
  }
  const bakery = ids['BL-001']!;
  const sites: string[] = [];
  for (const name of ['Siège', 'Boutique Bellecour']) {
    sites.push((await ok(server.call('ClientService', 'CreateSite', { clientId: bakery, name }, lyon.token))).site.siteId);
  }
  const phone = (await ok(server.call('CatalogService', 'ListSmartphones', { pageSize: 1 }, lyon.token))).smartphones[0];
  const equipment = [
    [sites[0], 'EQUIPMENT_KIND_DESK_PHONE', 'Accueil', 'pbx-100', 'SN-4410-0001', ''],
    [sites[0], 'EQUIPMENT_KIND_SMARTPHONE', 'Mobile de la gérante', 'pbx-101', 'SN-A55-7781', phone.smartphoneId],
    [sites[1], 'EQUIPMENT_KIND_DECT_BASE', 'Base DECT boutique', '', 'SN-D12-0042', ''],
  ];
  for (const [siteId, kind, label, pbxDeviceId, serialNumber, smartphoneId] of equipment) {
    await ok(server.call('ClientService', 'AddEquipment', { siteId, kind, label, pbxDeviceId, serialNumber, smartphoneId }, lyon.token));
  }
  // An account whose seats go beyond the included ones: a charge.
  const founded = await ok(server.call('ProvisioningService', 'FoundFamily', {
    clientId: bakery, familyName: 'Famille Lefèvre', identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: 'claire@lefevre.fr', firstName: 'Claire', locale: 'fr_FR',
  }, lyon.token));
  const accountId = founded.account.accountId;
  for (const [identifier, firstName] of [['louis@lefevre.fr', 'Louis'], ['+33612345678', 'Élise']]) {
    await ok(server.call('ProvisioningService', 'CreateAccount', {
      familyId: founded.family.familyId, identifierType: identifier.startsWith('+') ? 'IDENTIFIER_TYPE_MSISDN' : 'IDENTIFIER_TYPE_EMAIL', identifier, firstName, locale: 'fr_FR',
    }, lyon.token));
  }
  await ok(server.call('ProvisioningService', 'FoundFamily', {
    clientId: bakery, familyName: 'Boutique Bellecour', identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: 'bellecour', firstName: 'Équipe', locale: 'fr_FR',
  }, lyon.token));
  for (const role of ['ACCOUNT_ROLE_CUSTOMER_USER_UC', 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE']) {
    await ok(server.call('ProvisioningService', 'GrantRole', { accountId, role }, lyon.token));
  }
  const seat = (await ok(server.call('CatalogService', 'GetOffering', { code: 'UC-SOFTPHONE-SEAT' }, lyon.token))).offering;
  for (let i = 0; i <= seat.includedQuantity; i++) {
    const deviceId = `pbx-soft-${i}`;
    await ok(server.call('ClientService', 'AddEquipment', { siteId: sites[0], kind: 'EQUIPMENT_KIND_SOFTPHONE', pbxDeviceId: deviceId, label: `Softphone ${i + 1}` }, lyon.token));
    await ok(server.call('DeviceService', 'LinkDevice', { clientId: bakery, accountId, deviceId }, lyon.token));
    await ok(server.call('DeviceService', 'AssignDevice', { clientId: bakery, accountId, deviceId, clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP', acceptCharges: true }, lyon.token));
  }
  // Interfaces: two waiting for installation, one whose access ends this month.
  const contact = (company: string, lastName: string) => ({
    lastName, firstName: 'Claire', company, address: '12 rue des Lilas', postalCode: '69003', city: 'Lyon', country: 'FR',
    phone: '+33 4 72 00 00 00', email: 'contact@example.fr',
  });
  const orders = [[lyon, 'bl-boutique', 'Boulangerie Lefèvre'], [azur, 'hv-site', 'Hôtel des Voyageurs'], [lyon, 'fj-boutique', 'Fleurs & Jardins']] as const;
  const keys: string[] = [];
  for (const [reseller, guid, company] of orders) {
    keys.push((await ok(server.call('InterfaceService', 'CreateInterface', { guid, offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'], contact: contact(company, 'Martin') }, reseller.token))).key);
  }
  await ok(server.call('InterfaceService', 'DeleteInterface', { key: keys[2] }, lyon.token));
  // History: a rename, a deactivation.
  const current = (await ok(server.call('ClientService', 'GetClient', { clientId: bakery }, lyon.token))).client;
  await ok(server.call('ClientService', 'UpdateClient', { clientId: bakery, name: 'Boulangerie Lefèvre & Fils', etag: current.etag }, server.adminToken));
  await ok(server.call('ClientService', 'DeactivateClient', { clientId: ids['GD-7'] }, server.adminToken));
  return { bakery };
}

async function shoot(page: Page, language: 'en' | 'fr', url: string, bakery: string) {
  const words = language === 'fr'
    ? { history: 'Historique', clients: 'Clients', charges: 'Frais', audit: 'Journal d’audit', home: 'Accueil', screens: 'Écrans', withCredential: 'Utiliser plutôt un identifiant d’API', accounts: 'Comptes', interfaces: 'Interfaces' }
    : { history: 'History', clients: 'Clients', charges: 'Charges', audit: 'Audit trail', home: 'Home', screens: 'Screens', withCredential: 'Use an API credential instead', accounts: 'Accounts', interfaces: 'Interfaces' };
  const file = (name: string) => join(import.meta.dirname, `console-${name}.${language}.png`);
  const nav = (name: string) => page.getByRole('navigation', { name: words.screens }).getByRole('link', { name, exact: true });
  // The sign-in screen opens on a person's form; these screenshots use the
  // bootstrap credential (a credential's session ends with the page).
  const signIn = async () => {
    await page.getByRole('button', { name: words.withCredential }).click();
    await page.locator('input[name="clientId"]').fill(ADMIN_ID);
    await page.locator('input[name="clientSecret"]').fill(ADMIN_SECRET);
    await page.locator('button[type="submit"]').click();
  };
  await page.goto(`${url}/console/`);
  await page.locator('select').first().selectOption(language);
  await signIn();
  await page.getByRole('heading', { name: words.home, level: 1 }).waitFor();
  await page.locator('[data-testid^="home-total-"]').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: file('home') });
  await nav(words.clients).click();
  await page.getByRole('row').nth(6).waitFor();
  await page.screenshot({ path: file('clients') });
  await page.goto(`${url}/console/clients/${bakery}`);
  await signIn();
  await page.getByRole('table').first().waitFor();
  await page.screenshot({ path: file('client') });
  await page.getByRole('tab', { name: words.history }).click();
  await page.getByRole('table').getByRole('row').nth(2).waitFor();
  await page.screenshot({ path: file('client-history') });
  await page.getByRole('tab', { name: words.accounts, exact: true }).click();
  await page.getByRole('table').getByRole('row').nth(4).waitFor();
  await page.screenshot({ path: file('client-accounts') });
  await page.getByRole('table').getByRole('link', { name: 'Claire', exact: true }).click();
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'claire@lefevre.fr' }).waitFor();
  await page.getByRole('tab', { name: words.history }).click();
  await page.getByRole('table').getByRole('row').nth(1).waitFor();
  await page.screenshot({ path: file('account-history') });
  await nav(words.interfaces).click();
  await page.getByRole('table').getByRole('row').nth(3).waitFor();
  await page.screenshot({ path: file('interfaces') });
  await nav(words.charges).click();
  await page.getByRole('table').getByRole('row').nth(1).waitFor();
  await page.screenshot({ path: file('charges') });
  await nav(words.audit).click();
  await page.getByRole('table').getByRole('row').nth(8).waitFor();
  await page.screenshot({ path: file('audit') });
}

const server = await startServer('sqlite');
const browser = await openBrowser();
try {
  const { bakery } = await seed(server);
  for (const language of ['en', 'fr'] as const) await shoot(browser.page, language, server.url, bakery);
} finally {
  await browser.close();
  await server.close();
}
