'use client';
/**
 * `@acme/symbiosys/react`: a provider and hooks for React 18 and later. They
 * import the browser entry by its package name, so the app and these hooks
 * share one default client, and the browser entry itself never imports
 * React. Rendering them on a server sends nothing and throws nothing.
 */
export { SymbiosysProvider, useSymbiosys } from './provider.js';
export type { SymbiosysProviderProps } from './provider.js';
export { usePageView } from './page-view.js';
export { useOrder } from './order.js';
