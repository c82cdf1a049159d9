// The preload runs sandboxed, with context isolation: it exposes one frozen
// object as window.desktop (see api.ts) and nothing else. ipcRenderer stays
// here, used for the session and settings channels; the page never gets it.
import { contextBridge, ipcRenderer } from 'electron';
import { createApi, SESSION_CHANNEL, SETTINGS_CHANNEL } from './api.ts';

// Only the two known channels, whatever the caller passes.
const api = createApi(process.argv, (channel, request) => ipcRenderer.invoke(channel === SETTINGS_CHANNEL ? SETTINGS_CHANNEL : SESSION_CHANNEL, request));
contextBridge.exposeInMainWorld('desktop', api);

export type DesktopApi = typeof api;
