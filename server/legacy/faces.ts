// Every seed's legacy face, in seed order: what the router mounts (as
// LEGACY_FACES allows) and what the OpenAPI plugin documents. Tables only:
// nothing here runs a call.
import type { Face } from './define.ts';
import { seed000 } from './000/smartphones.ts';
import { seed001 } from './001/clients.ts';
import { seed002 } from './002/devices.ts';
import { seed003 } from './003/shop.ts';
import { seed004 } from './004/prov.ts';

export const FACES: readonly Face[] = [seed000, seed001, seed002, seed003, seed004];
