// Extra tabs of the client page, contributed by other features: Provisioning
// puts the client's families and accounts here, Interfaces the ones ordered
// for it, Devices its charges. A feature
// adds one entry; the page shows them after its own tabs, before History.
import type { ReactNode } from 'react';
import type { Client } from '@gen/reseller/v1/clients_pb.js';
import type { MessageKey } from '../../i18n/keys.ts';
import { AccountsSection, FamiliesSection } from '../accounts/AccountsSection.tsx';
import { ClientCharges } from '../devices/ChargesScreen.tsx';
import { ClientInterfaces } from '../interfaces/ClientInterfaces.tsx';

export interface ClientTab {
  /** Stable id, also the tab's value in the address. */
  id: string;
  title: MessageKey;
  render: (client: Client) => ReactNode;
}

export const clientTabs: ClientTab[] = [
  {
    id: 'families',
    title: 'clients.tabs.families',
    render: (client) => <FamiliesSection key={client.clientId} client={client} />,
  },
  {
    id: 'accounts',
    title: 'clients.tabs.accounts',
    render: (client) => <AccountsSection key={client.clientId} client={client} />,
  },
  {
    id: 'interfaces',
    title: 'clients.tabs.interfaces',
    render: (client) => <ClientInterfaces key={client.clientId} client={client} />,
  },
  {
    id: 'charges',
    title: 'clients.tabs.charges',
    render: (client) => <ClientCharges client={client} />,
  },
];
