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

/** The first block of a UUID, enough to tell rows apart on screen. */
export function shortId(id: string): string {
  return id.split('-')[0] ?? id;
}
