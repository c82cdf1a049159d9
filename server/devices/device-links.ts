// What the devices feature does when the objects its links hang on go away:
// registered by the composition root (connect.ts) with the lower features,
// which know nothing of devices.
import { DeviceLink } from './devices.entity.ts';
import { failedPrecondition } from '../platform/rpc/errors.ts';
import type { Em } from '../platform/data/database.ts';

/** A piece of equipment linked as a device stays: unlink it first. */
export async function refuseRemovingLinkedEquipment(em: Em, equipmentId: string): Promise<void> {
  const link = await em.findOne(DeviceLink, { equipment: equipmentId });
  if (link) {
    throw failedPrecondition('EQUIPMENT_LINKED',
      `equipment ${equipmentId} is linked as a device to account ${link.account.id}: unlink it first (DeviceService.UnlinkDevice)`,
      { metadata: { id: equipmentId, accountId: link.account.id } });
  }
}

/** Deleted accounts' devices are unlinked (and so unassigned) with them, through the unit of work so the audit trail records each. */
export async function unlinkDevicesOfAccounts(em: Em, accountIds: string[]): Promise<void> {
  em.remove(await em.find(DeviceLink, { account: { $in: accountIds } }));
}
