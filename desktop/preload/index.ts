// The preload runs sandboxed, with context isolation: it exposes one frozen
// object as window.desktop (see api.ts) and nothing else. ipcRenderer stays
// here, used for the one session channel; the page never gets it.
import { contextBridge, ipcRenderer } from 'electron';
import { createApi, SESSION_CHANNEL } from './api.ts';

const api = createApi(process.argv, (_channel, request) => ipcRenderer.invoke(SESSION_CHANNEL, request));
contextBridge.exposeInMainWorld('desktop', api);

export type DesktopApi = typeof api;
