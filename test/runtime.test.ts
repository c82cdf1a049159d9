// The stack needs Node >= 22; npm scripts run on the Node 24 the project pins.
import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('runs on Node 22 or newer (the pinned npm "node" package)', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(major, `running on Node ${process.version}; run through npm so node_modules/.bin/node is used`).toBeGreaterThanOrEqual(22);
  });
});
