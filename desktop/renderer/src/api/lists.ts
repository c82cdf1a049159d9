// Paging through a list with the server's nextPageToken: the tokens of the
// pages already seen make "Previous" possible; a change of filter or sort
// starts again from the first page (a token is only valid for its filters).
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { createConnectQueryKey } from '@connectrpc/connect-query';
import type { DescService } from '@bufbuild/protobuf';

export interface Pages {
  /** The token of the page on screen ('' for the first). */
  pageToken: string;
  /** 1-based page number. */
  pageNumber: number;
  hasPrevious: boolean;
  next(nextPageToken: string): void;
  previous(): void;
}

export function usePages(filterKey: string): Pages {
  const [state, setState] = useState({ filterKey, tokens: [''] });
  // Filters changed since the last render: back to page one.
  const tokens = state.filterKey === filterKey ? state.tokens : [''];
  if (state.filterKey !== filterKey) setState({ filterKey, tokens });
  const next = useCallback((token: string) => setState((s) => ({ ...s, tokens: [...s.tokens, token] })), []);
  const previous = useCallback(() => setState((s) => ({ ...s, tokens: s.tokens.length > 1 ? s.tokens.slice(0, -1) : s.tokens })), []);
  return { pageToken: tokens.at(-1)!, pageNumber: tokens.length, hasPrevious: tokens.length > 1, next, previous };
}

/** Rows a list page asks for unless staff choose another size. */
export const DEFAULT_PAGE_SIZE = '50';

/**
 * A list screen's filters, sort and page size, kept in the address
 * (`?status=2&size=100`), so a view can be bookmarked or shared and comes
 * back with Back. An empty value is left out of the address.
 */
export interface ListParams {
  /** The value in the address, or `fallback` when there is none. */
  get(name: string, fallback?: string): string;
  /**
   * Sets (or, with '', removes) one value, replacing the history entry
   * rather than adding one. The filters' inputs show the address's values,
   * so the change is rendered within the input's own event (flushSync), not
   * after the router's navigation: until then a controlled checkbox shows its
   * old state again (a browser test once saw an uncheck "not change its state").
   */
  set(name: string, value: string): void;
  pageSize: string;
  setPageSize(size: string): void;
}

export function useListParams(): ListParams {
  const [params, setParams] = useSearchParams();
  const set = useCallback((name: string, value: string) => setParams((p) => {
    if (value) p.set(name, value);
    else p.delete(name);
    return p;
  }, { replace: true, flushSync: true }), [setParams]);
  return {
    get: (name, fallback = '') => params.get(name) ?? fallback,
    set,
    pageSize: params.get('size') ?? DEFAULT_PAGE_SIZE,
    setPageSize: (size) => set('size', size === DEFAULT_PAGE_SIZE ? '' : size),
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
