// Loads React Fast Refresh's preamble as a module in development, since the strict CSP
// (script-src 'self') blocks the inline preamble script; an empty module in production builds.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TOKEN_QUERY } from '../../shared/api';
import { createClient } from './api/client';
import { App } from './App';
import { NoToken } from './components/welcome/NoToken';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root element');

const client = createClient(window);
const needsToken = client.transport === 'http' && !new URL(window.location.href).searchParams.get(TOKEN_QUERY);

createRoot(root).render(<StrictMode>{needsToken ? <NoToken /> : <App client={client} />}</StrictMode>);
