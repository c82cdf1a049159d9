// The console's messages in French, by area (i18n/fr/*.ts), each typed by its
// English counterpart: a key missing or extra here fails tsc, and
// test/i18n.test.ts checks both languages again at run time.
import { accounts } from './fr/accounts.ts';
import { audit } from './fr/audit.ts';
import { catalog } from './fr/catalog.ts';
import { clients } from './fr/clients.ts';
import { common } from './fr/common.ts';
import { devices } from './fr/devices.ts';
import { events } from './fr/events.ts';
import { home } from './fr/home.ts';
import { interfaces } from './fr/interfaces.ts';
import { partners } from './fr/partners.ts';
import { settings } from './fr/settings.ts';
import { shell } from './fr/shell.ts';
import { staff } from './fr/staff.ts';

export const fr = {
  ...common,
  ...shell,
  ...home,
  ...clients,
  ...accounts,
  ...devices,
  ...interfaces,
  ...partners,
  ...events,
  ...catalog,
  ...audit,
  ...staff,
  ...settings,
};
