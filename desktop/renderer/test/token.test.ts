// The session's token: kept in memory, renewed before it expires, never sent
// when about to expire, and the session ends when the credential stops working.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Code, ConnectError, createRouterTransport } from '@connectrpc/connect';
import { AuthService } from '@gen/reseller/v1/auth_pb.js';
import { TokenKeeper } from '../src/api/token.ts';
import { apiError } from './render.tsx';

const CREDENTIALS = { serverUrl: 'http://server.test', clientId: 'ck_admin', clientSecret: 'cs_secret' };

function authServer(answer: () => { accessToken: string; expiresIn: number }) {
  const calls: string[] = [];
  const transport = createRouterTransport(({ service }) => {
    service(AuthService, {
      createToken: (req) => {
        calls.push(`${req.clientId}:${req.clientSecret}`);
        return { ...answer(), tokenType: 'bearer' };
      },
    });
  });
  return { transport, calls };
}

describe('TokenKeeper', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('renews the token before it expires, with the credential kept in memory', async () => {
    let n = 0;
    const server = authServer(() => ({ accessToken: `token-${++n}`, expiresIn: 3600 }));
    const keeper = new TokenKeeper(CREDENTIALS, server.transport, () => undefined);
    await keeper.start();
    expect(await keeper.token()).toBe('token-1');
    // Renewed 5 minutes before the hour is up, not after.
    await vi.advanceTimersByTimeAsync(55 * 60_000 - 1_000);
    expect(server.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.calls).toEqual(['ck_admin:cs_secret', 'ck_admin:cs_secret']);
    expect(await keeper.token()).toBe('token-2');
    keeper.stop();
  });

  it('never hands out a token about to expire: the call waits for a new one', async () => {
    let n = 0;
    const server = authServer(() => ({ accessToken: `token-${++n}`, expiresIn: 60 }));
    const keeper = new TokenKeeper(CREDENTIALS, server.transport, () => undefined);
    await keeper.start();
    // The renewal timer did not fire (a laptop asleep): the clock moved on.
    vi.setSystemTime(Date.now() + 45_000);
    expect(await keeper.token()).toBe('token-2');
    keeper.stop();
  });

  it('ends the session when renewal is refused (the credential was revoked)', async () => {
    let refuse = false;
    const server = authServer(() => {
      if (refuse) throw apiError(Code.Unauthenticated, 'INVALID_CREDENTIALS', 'client_id or client_secret is wrong, or the credential was revoked');
      return { accessToken: 'token-1', expiresIn: 600 };
    });
    const lost: ConnectError[] = [];
    const keeper = new TokenKeeper(CREDENTIALS, server.transport, (error) => lost.push(error));
    await keeper.start();
    refuse = true;
    await vi.advanceTimersByTimeAsync(600_000);
    expect(lost.map((e) => e.rawMessage)).toEqual(['client_id or client_secret is wrong, or the credential was revoked']);
    await expect(keeper.token()).rejects.toThrow(/signed out/);
  });

  it('keeps trying while the server is briefly unreachable', async () => {
    let down = false;
    let n = 0;
    const server = authServer(() => {
      if (down) throw new ConnectError('unavailable', Code.Unavailable);
      return { accessToken: `token-${++n}`, expiresIn: 600 };
    });
    const lost: ConnectError[] = [];
    const keeper = new TokenKeeper(CREDENTIALS, server.transport, (error) => lost.push(error));
    await keeper.start();
    down = true;
    await vi.advanceTimersByTimeAsync(480_000 + 1);
    expect(server.calls).toHaveLength(2);
    down = false;
    await vi.advanceTimersByTimeAsync(15_001);
    expect(server.calls).toHaveLength(3);
    expect(await keeper.token()).toBe('token-2');
    expect(lost).toEqual([]);
    keeper.stop();
  });
});
