// Offering codes and smartphone SKUs as partners type them, shared with the
// features that order offerings (interfaces/).

/** Offering codes and SKUs: upper-case words joined by dashes, like the seed's IN-BTQST-S. */
export const CODE = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/;

/** Normalises a code a partner typed (spaces, lower case) for lookups; what is stored is always upper case. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}
