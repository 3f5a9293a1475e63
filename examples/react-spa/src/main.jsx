import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { SymbiosysProvider } from '@acme/symbiosys/react';
import { AppRoutes } from './App.jsx';
import { LoggedClient } from './sdk-log.js';

// Set at build (or dev-server start) time, see README.md.
const apiKey = import.meta.env.VITE_SYMBIOSYS_KEY;
const endpoint = import.meta.env.VITE_SYMBIOSYS_ENDPOINT;

const root = createRoot(document.getElementById('root'));
if (!apiKey) {
  root.render(<p>Set VITE_SYMBIOSYS_KEY (and VITE_SYMBIOSYS_ENDPOINT for the local receiver): see README.md.</p>);
} else {
  // A client of our own so the page can list what the SDK did; `options={{ apiKey }}` is the usual way.
  const client = new LoggedClient({ apiKey, ...(endpoint ? { endpoint } : {}) });
  // StrictMode runs every mount effect twice in development: the hooks still send once.
  root.render(
    <StrictMode>
      <SymbiosysProvider client={client}>
        <BrowserRouter basename={import.meta.env.BASE_URL}>
          <AppRoutes />
        </BrowserRouter>
      </SymbiosysProvider>
    </StrictMode>,
  );
}
