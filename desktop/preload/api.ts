// What the preload hands to the page: the server URL the console was started
// for, and nothing that could reach Node or Electron (no ipcRenderer, no fs).
// Kept free of Electron imports so the renderer can import its type.

/** Reads the server URL that the main process passed as --server-url=... */
export function createApi(argv: readonly string[]) {
  const flag = argv.find((arg) => arg.startsWith('--server-url='));
  return Object.freeze({
    /** The API server's origin, for example http://localhost:8080. */
    serverUrl: flag ? flag.slice('--server-url='.length) : 'http://localhost:8080',
    /** Lets the page say "desktop app" rather than "browser" where it matters. */
    kind: 'electron' as const,
  });
}

export type DesktopApi = ReturnType<typeof createApi>;
