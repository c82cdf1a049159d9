// The credentials an instance keeps for CREDENTIAL_CACHE_MS (server/platform/security/authentication.ts).
// Through the wire: test/server.test.ts (two instances), test/access.test.ts and
// test/authorization-matrix.test.ts (a revocation is refused at once where it was made).
import { describe, expect, it } from 'vitest';
import { CredentialCache } from '../server/platform/security/authentication.ts';

const row = (clientId: string) => ({ clientId, role: 'reseller' as const, resellerId: 'r1', revoked: false });

describe('CredentialCache', () => {
  it('keeps a credential for maxAgeMs, then has it read again', () => {
    const cache = new CredentialCache(1000);
    cache.set('c1', row('a'), 10_000, cache.generation);
    expect(cache.get('c1', 10_000)?.clientId).toBe('a');
    expect(cache.get('c1', 10_999)?.clientId).toBe('a');
    expect(cache.get('c1', 11_000)).toBeUndefined();
    // A clock set back is no reason to trust an entry longer.
    cache.set('c1', row('a'), 10_000, cache.generation);
    expect(cache.get('c1', 9_999)).toBeUndefined();
  });

  it('keeps nothing with maxAgeMs 0 (CREDENTIAL_CACHE_MS=0: every call reads its credential)', () => {
    const cache = new CredentialCache(0);
    cache.set('c1', row('a'), 10_000, cache.generation);
    expect(cache.get('c1', 10_000)).toBeUndefined();
  });

  it('forgets a revoked credential at once, and does not keep a read that began before a revocation', () => {
    const cache = new CredentialCache(1000);
    cache.set('c1', row('a'), 10_000, cache.generation);
    cache.forget('c1');
    expect(cache.get('c1', 10_000)).toBeUndefined();
    // A call began reading c1, RevokeCredential committed and forgot it, then the read came back:
    // the row it holds may predate the revocation, so it is used for that call only.
    const generation = cache.generation;
    cache.forget('c1');
    cache.set('c1', row('a'), 10_000, generation);
    expect(cache.get('c1', 10_000)).toBeUndefined();
    // Reads that begin afterwards are kept again.
    cache.set('c1', row('a'), 10_000, cache.generation);
    expect(cache.get('c1', 10_000)?.clientId).toBe('a');
  });

  it('holds at most 10,000 credentials, the oldest read going first', () => {
    const cache = new CredentialCache(1000);
    for (let i = 0; i <= 10_000; i++) cache.set(`c${i}`, row(`a${i}`), 10_000, cache.generation);
    expect(cache.get('c0', 10_000)).toBeUndefined();
    expect(cache.get('c1', 10_000)?.clientId).toBe('a1');
    expect(cache.get('c10000', 10_000)?.clientId).toBe('a10000');
  });
});
