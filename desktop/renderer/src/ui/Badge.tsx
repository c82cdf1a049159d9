// A short status word with a colour that is never the only signal.
export function Badge({ tone, children }: { tone: 'ok' | 'off' | 'warn' | 'info'; children: string }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
