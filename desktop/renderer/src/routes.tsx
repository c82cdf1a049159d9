// The console's screens. Adding one is adding an entry here (and its screen
// under screens/): the path routes to it, and `nav` puts it in the sidebar
// under its section. Paths are relative to /console/.
import type { ReactNode } from 'react';
import { ClientDetailScreen } from './screens/clients/ClientDetailScreen.tsx';
import { AuditScreen } from './screens/audit/AuditScreen.tsx';
import { ChargesScreen } from './screens/devices/ChargesScreen.tsx';
import { ClientsScreen } from './screens/clients/ClientsScreen.tsx';
import { CredentialsScreen } from './screens/credentials/CredentialsScreen.tsx';
import { InterfaceDetailScreen } from './screens/interfaces/InterfaceDetailScreen.tsx';
import { InterfacesScreen } from './screens/interfaces/InterfacesScreen.tsx';
import { OfferingDetailScreen } from './screens/catalog/OfferingDetailScreen.tsx';
import { OfferingsScreen } from './screens/catalog/OfferingsScreen.tsx';
import { SmartphonesScreen } from './screens/catalog/SmartphonesScreen.tsx';
import { ResellersScreen } from './screens/resellers/ResellersScreen.tsx';

export interface ScreenRoute {
  path: string;
  element: ReactNode;
  /** Shown in the sidebar when set. */
  nav?: { label: string; section: NavSection };
}

/**
 * Sidebar sections, in order. A section shows once a screen is in it.
 * Accounts, families and devices live on the client detail page.
 */
export const navSections = ['Customers', 'Partners', 'Catalog', 'Operations'] as const;
export type NavSection = (typeof navSections)[number];

export const screens: ScreenRoute[] = [
  { path: 'clients', element: <ClientsScreen />, nav: { label: 'Clients', section: 'Customers' } },
  { path: 'clients/:clientId', element: <ClientDetailScreen /> },
  { path: 'interfaces', element: <InterfacesScreen />, nav: { label: 'Interfaces', section: 'Customers' } },
  { path: 'interfaces/:interfaceKey', element: <InterfaceDetailScreen /> },
  { path: 'resellers', element: <ResellersScreen />, nav: { label: 'Resellers', section: 'Partners' } },
  { path: 'credentials', element: <CredentialsScreen />, nav: { label: 'Credentials', section: 'Partners' } },
  { path: 'offerings', element: <OfferingsScreen />, nav: { label: 'Offerings', section: 'Catalog' } },
  { path: 'offerings/:code', element: <OfferingDetailScreen /> },
  { path: 'smartphones', element: <SmartphonesScreen />, nav: { label: 'Smartphones', section: 'Catalog' } },
  { path: 'charges', element: <ChargesScreen />, nav: { label: 'Charges', section: 'Operations' } },
  { path: 'audit', element: <AuditScreen />, nav: { label: 'Audit trail', section: 'Operations' } },
];

/** Where "/console/" lands after sign-in. */
export const HOME = 'clients';
