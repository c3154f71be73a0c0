import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('demo/index.html has no #root element.');
// One client for the whole page: both uploaders' files are mutations in it (so any component can see
// them), and the signed policies they share are queries in it.
const queryClient = new QueryClient();
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
