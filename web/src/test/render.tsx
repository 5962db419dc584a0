// Test helper: renders a component inside the app's providers (query cache, i18n, antd App,
// router), with a fresh cache per test and no retries.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { I18nProvider, type Lang } from '../i18n/I18nProvider';

export function renderWithProviders(ui: ReactElement, opts: { lang?: Lang; route?: string; client?: QueryClient } = {}): RenderResult & { client: QueryClient } {
  const client = opts.client ?? new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <QueryClientProvider client={client}>
      <I18nProvider initial={opts.lang ?? 'zh'}>
        <AntApp>
          <MemoryRouter initialEntries={[opts.route ?? '/']} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>{ui}</MemoryRouter>
        </AntApp>
      </I18nProvider>
    </QueryClientProvider>,
  );
  return { ...result, client };
}
