// Rotates the token signing keys on DATABASE_URL: `npm run rotate-signing-key`.
// Running instances on that database notice within SIGNING_KEY_REFRESH_MS
// (at once when a token names a key they do not know yet); no restart.
//
//   npm run rotate-signing-key                      add a new key: it signs new tokens, older keys still verify
//   npm run rotate-signing-key -- --retire-old      retire every key but the newest: their tokens stop working
//   npm run rotate-signing-key -- --retire <kid>    retire one key
//   npm run rotate-signing-key -- --now             add a new key and retire all others at once (a leaked key)
//   npm run rotate-signing-key -- --list            list the keys, change nothing
//
// Secrets are never printed. Exit codes: 0 done, 2 wrong usage or refused.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../platform/core/config.ts';
import { openDatabase } from '../platform/data/database.ts';
import { schema } from '../schema.ts';
import { createLogger } from '../platform/observability/logger.ts';
import { RotationError, rotateSigningKeys } from '../platform/security/signing-keys.ts';

let args;
try {
  args = parseArgs({
    options: {
      'retire-old': { type: 'boolean', default: false },
      retire: { type: 'string', multiple: true, default: [] },
      now: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\nusage: npm run rotate-signing-key [-- --retire-old | --retire <kid> | --now | --list]`);
  process.exit(2);
}

const config = loadConfigOrExit();

const { orm } = await openDatabase(config.database, schema, createLogger('warn'));
let code = 0;
try {
  const retiring = args['retire-old'] || args.now || args.retire.length > 0;
  const result = await rotateSigningKeys(orm, {
    add: !args.list && (args.now || !retiring),
    retire: args.list ? [] : args.retire,
    retireOthers: !args.list && (args['retire-old'] || args.now),
  });
  if (result.added) console.log(`added signing key ${result.added}: it signs new tokens once each instance has reloaded (SIGNING_KEY_REFRESH_MS)`);
  for (const kid of result.retired) console.log(`retired signing key ${kid}: tokens it signed are no longer accepted`);
  console.log('kid\tcreated\tretired\tsigning');
  for (const key of result.keys) {
    console.log(`${key.kid}\t${key.createdAt.toISOString()}\t${key.retiredAt?.toISOString() ?? '-'}\t${key.signing ? 'yes' : ''}`);
  }
} catch (error) {
  if (!(error instanceof RotationError)) throw error;
  console.error(error.message);
  code = 2;
} finally {
  await orm.close();
}
process.exit(code);
