// A show page's tabs (react-admin's <TabbedShowLayout>): the tab is in the
// address (?tab=history), so a reload or a link opens the same tab, and the
// tabs follow the WAI-ARIA pattern (arrow keys move between them). Only the
// chosen tab's content is rendered, so a tab's reads happen when it opens.
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';

export interface Tab {
  /** Its value in the address; the first tab has none. */
  id: string;
  label: string;
  render: () => ReactNode;
}

export function Tabs({ tabs, label }: { tabs: readonly Tab[]; label: string }) {
  const [params, setParams] = useSearchParams();
  const base = useId();
  const list = useRef<HTMLDivElement>(null);
  const chosen = tabs.find((tab) => tab.id === params.get('tab')) ?? tabs[0]!;
  // Another tab's list state (its page, its filters) does not carry over.
  const choose = (tab: Tab) => setParams(tab === tabs[0] ? {} : { tab: tab.id }, { replace: true });
  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.indexOf(chosen);
    const to = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1
      : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : undefined;
    if (to === undefined) return;
    event.preventDefault();
    const tab = tabs[(to + tabs.length) % tabs.length]!;
    choose(tab);
    queueMicrotask(() => list.current?.querySelector<HTMLElement>(`[data-tab="${tab.id}"]`)?.focus());
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tab-list" ref={list} onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button key={tab.id} type="button" role="tab" id={`${base}-${tab.id}`} data-tab={tab.id}
            aria-selected={tab === chosen} aria-controls={`${base}-panel`} tabIndex={tab === chosen ? 0 : -1}
            className="tab" onClick={() => choose(tab)}>
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-${chosen.id}`} className="tab-panel">
        {chosen.render()}
      </div>
    </div>
  );
}
