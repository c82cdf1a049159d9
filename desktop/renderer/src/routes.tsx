// The console's screens. Adding one is adding an entry here (and its screen
// under screens/): the path routes to it, and `nav` puts it in the sidebar
// under its section. Paths are relative to /console/.
import type { ReactNode } from 'react';
import type { MessageKey } from './i18n/keys.ts';
import { ClientDetailScreen } from './screens/clients/ClientDetailScreen.tsx';
import { AuditScreen } from './screens/audit/AuditScreen.tsx';
import { ChargesScreen } from './screens/devices/ChargesScreen.tsx';
import { ClientsScreen } from './screens/clients/ClientsScreen.tsx';
import { CredentialsScreen } from './screens/credentials/CredentialsScreen.tsx';
import { HomeScreen } from './screens/home/HomeScreen.tsx';
import { InterfaceDetailScreen } from './screens/interfaces/InterfaceDetailScreen.tsx';
import { InterfacesScreen } from './screens/interfaces/InterfacesScreen.tsx';
import { OfferingDetailScreen } from './screens/catalog/OfferingDetailScreen.tsx';
import { OfferingsScreen } from './screens/catalog/OfferingsScreen.tsx';
import { SmartphonesScreen } from './screens/catalog/SmartphonesScreen.tsx';
import { ResellerDetailScreen } from './screens/resellers/ResellerDetailScreen.tsx';
import { ResellersScreen } from './screens/resellers/ResellersScreen.tsx';
import { AccountDetailScreen } from './screens/accounts/AccountDetailScreen.tsx';
import { FamilyDetailScreen } from './screens/accounts/FamilyDetailScreen.tsx';
import { StaffUsersScreen } from './screens/staff/StaffUsersScreen.tsx';
import { SettingsScreen } from './screens/settings/SettingsScreen.tsx';
import { inDesktopApp } from './config.ts';

export interface ScreenRoute {
  path: string;
  element: ReactNode;
  /** Shown in the sidebar when set: the label's message key and its section. */
  nav?: { label: MessageKey; section: NavSection };
}

/**
 * Sidebar sections, in order. A section shows once a screen is in it.
 * Accounts, families and devices are reached from their client.
 */
export const navSections = ['start', 'customers', 'partners', 'catalog', 'operations'] as const;
export type NavSection = (typeof navSections)[number];

export const navSectionLabels: Record<NavSection, MessageKey> = {
  start: 'nav.sections.start',
  customers: 'nav.sections.customers',
  partners: 'nav.sections.partners',
  catalog: 'nav.sections.catalog',
  operations: 'nav.sections.operations',
};

export const screens: ScreenRoute[] = [
  { path: 'home', element: <HomeScreen />, nav: { label: 'nav.home', section: 'start' } },
  { path: 'clients', element: <ClientsScreen />, nav: { label: 'nav.clients', section: 'customers' } },
  { path: 'clients/:clientId', element: <ClientDetailScreen /> },
  { path: 'accounts/:accountId', element: <AccountDetailScreen /> },
  { path: 'families/:familyId', element: <FamilyDetailScreen /> },
  { path: 'interfaces', element: <InterfacesScreen />, nav: { label: 'nav.interfaces', section: 'customers' } },
  { path: 'interfaces/:interfaceKey', element: <InterfaceDetailScreen /> },
  { path: 'resellers', element: <ResellersScreen />, nav: { label: 'nav.resellers', section: 'partners' } },
  { path: 'resellers/:resellerId', element: <ResellerDetailScreen /> },
  { path: 'credentials', element: <CredentialsScreen />, nav: { label: 'nav.credentials', section: 'partners' } },
  { path: 'offerings', element: <OfferingsScreen />, nav: { label: 'nav.offerings', section: 'catalog' } },
  { path: 'offerings/:code', element: <OfferingDetailScreen /> },
  { path: 'smartphones', element: <SmartphonesScreen />, nav: { label: 'nav.smartphones', section: 'catalog' } },
  { path: 'charges', element: <ChargesScreen />, nav: { label: 'nav.charges', section: 'operations' } },
  { path: 'audit', element: <AuditScreen />, nav: { label: 'nav.audit', section: 'operations' } },
  { path: 'staff', element: <StaffUsersScreen />, nav: { label: 'nav.staff', section: 'operations' } },
  // The desktop app only: in the browser the server is the page's own origin.
  ...(inDesktopApp() ? [{ path: 'settings', element: <SettingsScreen />, nav: { label: 'nav.settings', section: 'operations' } } satisfies ScreenRoute] : []),
];

/** Where "/console/" lands after sign-in: what staff check first. */
export const HOME = 'home';
