/**
 * The tag-manager build: one self-contained script (IIFE) that defines
 * `window.Symbiosys` with the browser entry's functions, for a Google Tag
 * Manager Custom HTML tag or a plain `<script>`.
 */
import { SymbiosysClient } from './browser/client.js';
import { flush, getClient, identify, init, setConsent, track } from './browser/default-client.js';

export { SymbiosysClient, init, track, identify, setConsent, flush, getClient };
