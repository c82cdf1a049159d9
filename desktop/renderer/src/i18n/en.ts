// The console's messages in English, by area (i18n/en/*.ts). Their keys are
// the contract: fr.ts has the same ones (its type and test/i18n.test.ts say so).
import { accounts } from './en/accounts.ts';
import { audit } from './en/audit.ts';
import { catalog } from './en/catalog.ts';
import { clients } from './en/clients.ts';
import { common } from './en/common.ts';
import { devices } from './en/devices.ts';
import { events } from './en/events.ts';
import { home } from './en/home.ts';
import { interfaces } from './en/interfaces.ts';
import { partners } from './en/partners.ts';
import { settings } from './en/settings.ts';
import { shell } from './en/shell.ts';
import { staff } from './en/staff.ts';

export const en = {
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
} as const;
