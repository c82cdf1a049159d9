// How values read on screen and in exports.
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(ts: Timestamp | undefined): string {
  return ts ? dateTime.format(timestampDate(ts)) : '';
}

/** ISO 8601 for CSV: sortable and unambiguous in any locale. */
export function isoTime(ts: Timestamp | undefined): string {
  return ts ? timestampDate(ts).toISOString() : '';
}

/**
 * The last block of a UUID, enough to tell objects apart on screen. (Our ids
 * are UUIDv7: the first blocks are a timestamp, the same for a whole batch.)
 */
export function shortId(id: string): string {
  return `…${id.split('-').pop() ?? id}`;
}
