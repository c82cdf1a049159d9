// Where the console runs: in Electron the preload says which server it was
// started for; served by the server at /console, the server is this origin.
import type { DesktopApi } from '../../preload/api.ts';

declare global {
  interface Window {
    /** Present in the Electron app only (desktop/preload). */
    readonly desktop?: DesktopApi;
  }
}

export function defaultServerUrl(): string {
  return window.desktop?.serverUrl ?? window.location.origin;
}

export function inDesktopApp(): boolean {
  return window.desktop?.kind === 'electron';
}
