// Family images and account pictures: bytes in the request, checked to be PNG
// or JPEG by their content (never by a declared type), at most 1 MiB, stored
// in the database and served back by GET /media/<id> (media.route.ts).
import type { Validator } from '../platform/rpc/validation.ts';
import type { Em } from '../platform/data/database.ts';
import { Media } from './provisioning.entity.ts';

/** The largest image accepted, after base64 decoding: 1 MiB. */
export const MAX_IMAGE_BYTES = 1024 * 1024;

export type ImageType = 'image/png' | 'image/jpeg';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image type of these bytes by their magic numbers, or undefined. */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // PNG: the 8-byte signature, then the IHDR chunk that must come first.
  if (b.length >= 16 && b.subarray(0, 8).equals(PNG_SIGNATURE) && b.toString('latin1', 12, 16) === 'IHDR') return 'image/png';
  // JPEG: start-of-image marker followed by another marker.
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  return undefined;
}

/**
 * Checks an image field. Returns its type, or undefined when it is empty or
 * refused (the violation is recorded). Never puts the bytes in a message.
 */
export function checkImage(v: Validator, field: string, bytes: Uint8Array | undefined): ImageType | undefined {
  if (!bytes || bytes.length === 0) return undefined;
  if (bytes.length > MAX_IMAGE_BYTES) {
    v.add(field, `is ${bytes.length} bytes: an image may be at most ${MAX_IMAGE_BYTES} bytes (1 MiB)`, 'IMAGE_TOO_LARGE');
    return undefined;
  }
  const type = sniffImage(bytes);
  if (!type) v.add(field, 'is not a PNG or JPEG image (checked by its content)', 'UNSUPPORTED_IMAGE_TYPE');
  return type;
}

/** Stores an image of a client's family or account. */
export function storeImage(em: Em, client: { id: string; reseller: { id: string } }, bytes: Uint8Array, contentType: ImageType): Media {
  return em.create(Media, {
    reseller: client.reseller.id, client: client.id, contentType, byteSize: bytes.length, data: Buffer.from(bytes),
  });
}

/** Where an image is served: PUBLIC_URL when set, else the origin the request came to. */
export function mediaUrl(baseUrl: string, media: { id: string } | null | undefined): string {
  return media ? `${baseUrl}/media/${media.id}` : '';
}
