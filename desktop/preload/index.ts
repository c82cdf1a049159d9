// The preload runs sandboxed, with context isolation: it exposes one frozen
// object as window.desktop (see api.ts) and nothing else.
import { contextBridge } from 'electron';
import { createApi } from './api.ts';

const api = createApi(process.argv);
contextBridge.exposeInMainWorld('desktop', api);

export type DesktopApi = typeof api;
