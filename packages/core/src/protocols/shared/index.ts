export * from './base64.js';
export * from './errors.js';
export * from './invalid-response.js';
export * from './json.js';
export * from './url.js';
