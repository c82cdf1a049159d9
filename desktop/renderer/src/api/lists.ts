// A list screen's state, all of it in the address: filters, sort, page size
// and the page itself (the server's cursor), so a view can be bookmarked,
// shared, reloaded and come back with Back. The sidebar's link to a list is
// its bare path, so it resets the list; the filters' inputs show the
// address's values, so they follow.
import { useCallback, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { createConnectQueryKey } from '@connectrpc/connect-query';
import type { DescService } from '@bufbuild/protobuf';

/** Rows a list page asks for unless staff choose another size. */
export const DEFAULT_PAGE_SIZE = '50';

/** The address's parameter that holds the page's cursor (the server's page token). */
const PAGE = 'page';

export interface Pages {
  /** The token of the page on screen ('' for the first). */
  pageToken: string;
  /** 1-based page number, when known (an address opened cold knows its cursor, not how it got there). */
  pageNumber: number | undefined;
  hasPrevious: boolean;
  next(nextPageToken: string): void;
  /** The page before, or the first page when the way here is not known. */
  previous(): void;
}

/**
 * Paging through a list with the server's page tokens. The current token is
 * in the address (`?page=…`); the tokens of the pages before it, which
 * "Previous" needs, are in the history entry's state, which a reload keeps
 * and a shared link does not (then "Previous" goes to the first page).
 */
interface PageState {
  previousPages?: string[];
}

export interface ListParams {
  /** The value in the address, or `fallback` when there is none. */
  get(name: string, fallback?: string): string;
  /**
   * Sets (or, with '', removes) one filter, back to the first page (a cursor
   * is only valid for its filters), replacing the history entry rather than
   * adding one. The filters' inputs show the address's values, so the change
   * is rendered within the input's own event (flushSync), not after the
   * router's navigation: until then a controlled checkbox shows its old state
   * again (a browser test once saw an uncheck "not change its state").
   */
  set(name: string, value: string): void;
  /** Sets several filters at once (as `set` does one). */
  setMany(values: Record<string, string>): void;
  pageSize: string;
  setPageSize(size: string): void;
  pages: Pages;
  /** The filters, sort and size as a query string, without the page: what a saved filter keeps. */
  filters: string;
  /** Replaces every filter with a saved set (back to the first page). */
  applyFilters(query: string): void;
}

export function useListParams(): ListParams {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const previousPages = (location.state as PageState | null)?.previousPages;
  const setMany = useCallback((values: Record<string, string>) => setParams((p) => {
    for (const [name, value] of Object.entries(values)) {
      if (value) p.set(name, value);
      else p.delete(name);
    }
    p.delete(PAGE);
    return p;
  }, { replace: true, flushSync: true, state: {} }), [setParams]);
  const set = useCallback((name: string, value: string) => setMany({ [name]: value }), [setMany]);
  const pageToken = params.get(PAGE) ?? '';
  const goTo = (token: string, before: string[]) => {
    const next = new URLSearchParams(params);
    if (token) next.set(PAGE, token);
    else next.delete(PAGE);
    setParams(next, { replace: true, state: { previousPages: before } satisfies PageState });
  };
  const known = pageToken === '' ? [] : previousPages;
  const filters = new URLSearchParams(params);
  filters.delete(PAGE);
  filters.delete('tab');
  return {
    get: (name, fallback = '') => params.get(name) ?? fallback,
    set,
    setMany,
    pageSize: params.get('size') ?? DEFAULT_PAGE_SIZE,
    setPageSize: (size) => set('size', size === DEFAULT_PAGE_SIZE ? '' : size),
    pages: {
      pageToken,
      pageNumber: known ? known.length + 1 : undefined,
      hasPrevious: pageToken !== '',
      next: (token) => goTo(token, [...(known ?? []), pageToken]),
      previous: () => {
        const before = known ?? [];
        goTo(before.at(-1) ?? '', before.slice(0, -1));
      },
    },
    filters: filters.toString(),
    applyFilters: (query) => {
      const next = new URLSearchParams(query);
      const tab = params.get('tab');
      if (tab) next.set('tab', tab);
      void navigate({ pathname: location.pathname, search: next.toString() }, { replace: true, state: {} });
    },
  };
}

/**
 * The same state kept in memory, for a list that is not the screen's own (a
 * history shown in a dialog) and must not take over the address.
 */
export function useMemoryListParams(): ListParams {
  const [state, setState] = useState({ values: {} as Record<string, string>, tokens: [''] });
  const setMany = (values: Record<string, string>) => setState((s) => ({ values: { ...s.values, ...values }, tokens: [''] }));
  const set = (name: string, value: string) => setMany({ [name]: value });
  const pageToken = state.tokens.at(-1)!;
  return {
    get: (name, fallback = '') => state.values[name] || fallback,
    set,
    setMany,
    pageSize: state.values.size || DEFAULT_PAGE_SIZE,
    setPageSize: (size) => set('size', size),
    pages: {
      pageToken,
      pageNumber: state.tokens.length,
      hasPrevious: state.tokens.length > 1,
      next: (token) => setState((s) => ({ ...s, tokens: [...s.tokens, token] })),
      previous: () => setState((s) => ({ ...s, tokens: s.tokens.length > 1 ? s.tokens.slice(0, -1) : s.tokens })),
    },
    filters: new URLSearchParams(state.values).toString(),
    applyFilters: (query) => setState({ values: Object.fromEntries(new URLSearchParams(query)), tokens: [''] }),
  };
}

/** After a change, every cached read of that service is stale. */
export function useInvalidate(service: DescService): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(
    () => queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: service, cardinality: undefined }) }),
    [queryClient, service],
  );
}

/** A fresh idempotency key: one per form opened, so a retried submit creates nothing twice. */
export function newRequestId(): string {
  // randomUUID exists in secure contexts only; /console may be served over
  // plain http on a LAN, where getRandomValues still works.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
