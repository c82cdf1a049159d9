// Extra sections of the client detail screen, contributed by other features:
// Provisioning puts the client's accounts and families here, Devices its
// softphone seats, Interfaces its shops. A feature adds one entry; the
// detail screen renders them in order, below sites and equipment.
import type { ReactNode } from 'react';
import type { Client } from '@gen/reseller/v1/clients_pb.js';
import { AccountsSection } from '../accounts/AccountsSection.tsx';

export interface ClientSection {
  /** Stable id, also the section's anchor. */
  id: string;
  title: string;
  render: (client: Client) => ReactNode;
}

export const clientSections: ClientSection[] = [
  {
    id: 'accounts',
    title: 'Accounts and families',
    // Each account shows its devices (DeviceService) too.
    render: (client) => <AccountsSection key={client.clientId} client={client} />,
  },
];
