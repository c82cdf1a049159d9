// The error numbers seed 004 gave its partners, kept on each error as legacy_code.
export const LEGACY = {
  accountNotFound: 1,
  accountAlreadyExists: 2,
  alreadyInFamily: 12,
  founderAlreadyExists: 15,
  invalidEmail: 17,
  invalidIdentifier: 21,
  invalidMsisdn: 22,
  familyNotFound: 510,
} as const;
