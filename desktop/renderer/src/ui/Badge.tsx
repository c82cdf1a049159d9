// A short status word with a colour that is never the only signal. It never
// breaks across lines (styles.css: .badge).
export function Badge({ tone, children }: { tone: 'ok' | 'off' | 'warn' | 'info'; children: string }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
