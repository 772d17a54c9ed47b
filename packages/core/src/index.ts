export type * from './catalog/types.js';
export { defineProvider } from './provider.js';
export type { ProviderDefinition, ProviderSettings } from './provider.js';
