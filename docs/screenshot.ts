// Takes the README's screenshots of the console (docs/console-*.png): a fresh
// server with a few realistic clients, Debian's Chromium at 1280x800.
//   npm run screenshots     (the console is built by npm install or npm run build)
import { join } from 'node:path';
import { openBrowser } from '../test/support/browser.ts';
import { ADMIN_ID, ADMIN_SECRET, createReseller, startServer } from '../test/support/server.ts';

const server = await startServer('sqlite');
const browser = await openBrowser();
try {
  const acme = await createReseller(server, 'Acme Telecom');
  const globex = await createReseller(server, 'Globex Networks');
  const clients = [
    [acme, 'Boulangerie Martin', 'BM-001'], [acme, 'Pharmacie du Centre', 'PC-014'], [globex, 'Garage Dupont', 'GD-7'],
    [acme, 'Cabinet Leroy Avocats', 'CLA-2'], [globex, 'Hôtel des Voyageurs', 'HV-31'], [acme, 'Fleurs & Jardins', 'FJ-88'],
  ] as const;
  let bakery = '';
  for (const [reseller, name, code] of clients) {
    const answer = await server.call('ClientService', 'RegisterClient', { name, code }, reseller.token);
    if (code === 'BM-001') bakery = answer.body.client.clientId;
  }
  const sites: string[] = [];
  for (const name of ['Head office', 'Bakery shop']) {
    sites.push((await server.call('ClientService', 'CreateSite', { clientId: bakery, name }, acme.token)).body.site.siteId);
  }
  const equipment = [
    [sites[0], 'EQUIPMENT_KIND_DESK_PHONE', 'Reception desk', 'pbx-100', 'SN-4410-0001'],
    [sites[0], 'EQUIPMENT_KIND_SMARTPHONE', 'Manager mobile', 'pbx-101', 'SN-A55-7781'],
    [sites[1], 'EQUIPMENT_KIND_DECT_BASE', 'Shop DECT base', '', 'SN-D12-0042'],
  ];
  for (const [siteId, kind, label, pbxDeviceId, serialNumber] of equipment) {
    await server.call('ClientService', 'AddEquipment', { siteId, kind, label, pbxDeviceId, serialNumber }, acme.token);
  }
  await server.call('ClientService', 'DeactivateClient', { clientId: (await server.call('ClientService', 'ListClients', { query: 'GD-7' }, server.adminToken)).body.clients[0].clientId }, server.adminToken);

  const { page } = browser;
  await page.goto(`${server.url}/console/`);
  await page.getByLabel('Client id').fill(ADMIN_ID);
  await page.getByLabel('Secret').fill(ADMIN_SECRET);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('row').nth(6).waitFor();
  await page.screenshot({ path: join(import.meta.dirname, 'console-clients.png') });
  await page.getByRole('link', { name: 'Boulangerie Martin' }).click();
  await page.getByRole('row').filter({ hasText: 'Shop DECT base' }).waitFor();
  await page.screenshot({ path: join(import.meta.dirname, 'console-client.png') });
} finally {
  await browser.close();
  await server.close();
}
