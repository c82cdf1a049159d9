// The desktop app's Settings: which server it talks to.
export const settings = {
  settings: {
    title: 'Settings',
    subtitle: 'The server this desktop console talks to.',
    firstStart: 'Choose the reseller server this console works with. The app checks that it answers before keeping it.',
    current: 'Current server',
    notChosen: '{{url}} (default: no server chosen yet)',
    newServer: 'Server address',
    newServerHint: 'https://… for a server on another machine; http:// only for this machine (localhost).',
    check: 'Check and save',
    checking: 'Checking the server…',
    saved: '{{url}} answers and is saved: the console reopens on it.',
    refused: 'This server was not kept',
    loading: 'Reading the settings…',
    browserOnly: 'In the browser the console talks to the server that serves it: there is nothing to choose.',
  },
} as const;
