// The Betfair API-NG shapes in one import, for the client, the exchange simulator and the feed.
export * from './projections.js';
export * from './catalogue-schema.js';
export * from './book-schema.js';
export * from './request-schemas.js';
export * from './json-rpc-schema.js';
export * from './keep-alive-schema.js';
