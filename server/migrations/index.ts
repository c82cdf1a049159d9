// The checked-in migrations of each database, applied in this order at start-up.
// Written by `npm run migration:create`; never edited once they have landed.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124072816_foundation as sqlite_Migration20261124072816_foundation } from './sqlite/Migration20261124072816_foundation.ts';
import { Migration20261124074417_audit as sqlite_Migration20261124074417_audit } from './sqlite/Migration20261124074417_audit.ts';
import { Migration20261124075213_provisioning as sqlite_Migration20261124075213_provisioning } from './sqlite/Migration20261124075213_provisioning.ts';
import { Migration20261124080516_catalog_interfaces as sqlite_Migration20261124080516_catalog_interfaces } from './sqlite/Migration20261124080516_catalog_interfaces.ts';
import { Migration20261124080517_demo_catalog as sqlite_Migration20261124080517_demo_catalog } from './sqlite/Migration20261124080517_demo_catalog.ts';
import { Migration20261124083231_devices_and_included_seats as sqlite_Migration20261124083231_devices_and_included_seats } from './sqlite/Migration20261124083231_devices_and_included_seats.ts';
import { Migration20261124102126_rate_limit as sqlite_Migration20261124102126_rate_limit } from './sqlite/Migration20261124102126_rate_limit.ts';
import { Migration20261124102411_signing_key_rotation as sqlite_Migration20261124102411_signing_key_rotation } from './sqlite/Migration20261124102411_signing_key_rotation.ts';
import { Migration20261124155924_site_covering_index as sqlite_Migration20261124155924_site_covering_index } from './sqlite/Migration20261124155924_site_covering_index.ts';
import { Migration20261124163837_counts_in_columns as sqlite_Migration20261124163837_counts_in_columns } from './sqlite/Migration20261124163837_counts_in_columns.ts';
import { Migration20261203064741_console_search_and_labels as sqlite_Migration20261203064741_console_search_and_labels } from './sqlite/Migration20261203064741_console_search_and_labels.ts';
import { Migration20261203085644_events_and_webhooks as sqlite_Migration20261203085644_events_and_webhooks } from './sqlite/Migration20261203085644_events_and_webhooks.ts';
import { Migration20261203090049_staff_users as sqlite_Migration20261203090049_staff_users } from './sqlite/Migration20261203090049_staff_users.ts';
import { Migration20261203092038_token_issue as sqlite_Migration20261203092038_token_issue } from './sqlite/Migration20261203092038_token_issue.ts';
import { Migration20261203104448_event_retention_indexes as sqlite_Migration20261203104448_event_retention_indexes } from './sqlite/Migration20261203104448_event_retention_indexes.ts';
import { Migration20261124072816_foundation as postgresql_Migration20261124072816_foundation } from './postgresql/Migration20261124072816_foundation.ts';
import { Migration20261124074418_audit as postgresql_Migration20261124074418_audit } from './postgresql/Migration20261124074418_audit.ts';
import { Migration20261124075213_provisioning as postgresql_Migration20261124075213_provisioning } from './postgresql/Migration20261124075213_provisioning.ts';
import { Migration20261124080516_catalog_interfaces as postgresql_Migration20261124080516_catalog_interfaces } from './postgresql/Migration20261124080516_catalog_interfaces.ts';
import { Migration20261124080517_demo_catalog as postgresql_Migration20261124080517_demo_catalog } from './postgresql/Migration20261124080517_demo_catalog.ts';
import { Migration20261124083232_devices_and_included_seats as postgresql_Migration20261124083232_devices_and_included_seats } from './postgresql/Migration20261124083232_devices_and_included_seats.ts';
import { Migration20261124102127_rate_limit as postgresql_Migration20261124102127_rate_limit } from './postgresql/Migration20261124102127_rate_limit.ts';
import { Migration20261124102412_signing_key_rotation as postgresql_Migration20261124102412_signing_key_rotation } from './postgresql/Migration20261124102412_signing_key_rotation.ts';
import { Migration20261124155924_site_covering_index as postgresql_Migration20261124155924_site_covering_index } from './postgresql/Migration20261124155924_site_covering_index.ts';
import { Migration20261124163837_counts_in_columns as postgresql_Migration20261124163837_counts_in_columns } from './postgresql/Migration20261124163837_counts_in_columns.ts';
import { Migration20261203064742_console_search_and_labels as postgresql_Migration20261203064742_console_search_and_labels } from './postgresql/Migration20261203064742_console_search_and_labels.ts';
import { Migration20261203085645_events_and_webhooks as postgresql_Migration20261203085645_events_and_webhooks } from './postgresql/Migration20261203085645_events_and_webhooks.ts';
import { Migration20261203090051_staff_users as postgresql_Migration20261203090051_staff_users } from './postgresql/Migration20261203090051_staff_users.ts';
import { Migration20261203092039_token_issue as postgresql_Migration20261203092039_token_issue } from './postgresql/Migration20261203092039_token_issue.ts';
import { Migration20261203104449_event_retention_indexes as postgresql_Migration20261203104449_event_retention_indexes } from './postgresql/Migration20261203104449_event_retention_indexes.ts';

export const migrations: { sqlite: MigrationObject[]; postgresql: MigrationObject[] } = {
  sqlite: [
    { name: 'Migration20261124072816_foundation', class: sqlite_Migration20261124072816_foundation },
    { name: 'Migration20261124074417_audit', class: sqlite_Migration20261124074417_audit },
    { name: 'Migration20261124075213_provisioning', class: sqlite_Migration20261124075213_provisioning },
    { name: 'Migration20261124080516_catalog_interfaces', class: sqlite_Migration20261124080516_catalog_interfaces },
    { name: 'Migration20261124080517_demo_catalog', class: sqlite_Migration20261124080517_demo_catalog },
    { name: 'Migration20261124083231_devices_and_included_seats', class: sqlite_Migration20261124083231_devices_and_included_seats },
    { name: 'Migration20261124102126_rate_limit', class: sqlite_Migration20261124102126_rate_limit },
    { name: 'Migration20261124102411_signing_key_rotation', class: sqlite_Migration20261124102411_signing_key_rotation },
    { name: 'Migration20261124155924_site_covering_index', class: sqlite_Migration20261124155924_site_covering_index },
    { name: 'Migration20261124163837_counts_in_columns', class: sqlite_Migration20261124163837_counts_in_columns },
    { name: 'Migration20261203064741_console_search_and_labels', class: sqlite_Migration20261203064741_console_search_and_labels },
    { name: 'Migration20261203085644_events_and_webhooks', class: sqlite_Migration20261203085644_events_and_webhooks },
    { name: 'Migration20261203090049_staff_users', class: sqlite_Migration20261203090049_staff_users },
    { name: 'Migration20261203092038_token_issue', class: sqlite_Migration20261203092038_token_issue },
    { name: 'Migration20261203104448_event_retention_indexes', class: sqlite_Migration20261203104448_event_retention_indexes },
  ],
  postgresql: [
    { name: 'Migration20261124072816_foundation', class: postgresql_Migration20261124072816_foundation },
    { name: 'Migration20261124074418_audit', class: postgresql_Migration20261124074418_audit },
    { name: 'Migration20261124075213_provisioning', class: postgresql_Migration20261124075213_provisioning },
    { name: 'Migration20261124080516_catalog_interfaces', class: postgresql_Migration20261124080516_catalog_interfaces },
    { name: 'Migration20261124080517_demo_catalog', class: postgresql_Migration20261124080517_demo_catalog },
    { name: 'Migration20261124083232_devices_and_included_seats', class: postgresql_Migration20261124083232_devices_and_included_seats },
    { name: 'Migration20261124102127_rate_limit', class: postgresql_Migration20261124102127_rate_limit },
    { name: 'Migration20261124102412_signing_key_rotation', class: postgresql_Migration20261124102412_signing_key_rotation },
    { name: 'Migration20261124155924_site_covering_index', class: postgresql_Migration20261124155924_site_covering_index },
    { name: 'Migration20261124163837_counts_in_columns', class: postgresql_Migration20261124163837_counts_in_columns },
    { name: 'Migration20261203064742_console_search_and_labels', class: postgresql_Migration20261203064742_console_search_and_labels },
    { name: 'Migration20261203085645_events_and_webhooks', class: postgresql_Migration20261203085645_events_and_webhooks },
    { name: 'Migration20261203090051_staff_users', class: postgresql_Migration20261203090051_staff_users },
    { name: 'Migration20261203092039_token_issue', class: postgresql_Migration20261203092039_token_issue },
    { name: 'Migration20261203104449_event_retention_indexes', class: postgresql_Migration20261203104449_event_retention_indexes },
  ],
};
