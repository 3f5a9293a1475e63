import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { init } from '@acme/symbiosys';
import { AppRoutes } from './App.jsx';

// Set at build (or dev-server start) time, see README.md.
const apiKey = import.meta.env.VITE_SYMBIOSYS_KEY; // As in the package README's React snippet.
const endpoint = import.meta.env.VITE_SYMBIOSYS_ENDPOINT;

const root = createRoot(document.getElementById('root'));
if (!apiKey) {
  root.render(<p>Set VITE_SYMBIOSYS_KEY (and VITE_SYMBIOSYS_ENDPOINT for the local receiver): see README.md.</p>);
} else {
  init({ apiKey, ...(endpoint ? { endpoint } : {}) });
  // StrictMode runs every effect twice in development: the SDK still counts one page view per navigation.
  root.render(
    <StrictMode>
      <BrowserRouter basename={import.meta.env.BASE_URL}>
        <AppRoutes />
      </BrowserRouter>
    </StrictMode>,
  );
}
