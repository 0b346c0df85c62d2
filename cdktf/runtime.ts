/**
 * The Node.js major version the functions are deployed on: their Cloud Functions runtime
 * (`nodejs22`) and the target their bundles are built for. Node.js 20 was decommissioned for
 * Cloud Run functions on 2026-10-30 (no function can be created or updated on it since);
 * Node.js 22 is supported until 2027-10-31. The code itself also runs on Node.js 20.19+ (the
 * project's `engines`), which the local runtime and the tests use.
 */
export const DEPLOYED_NODE_MAJOR = 22;

/** The Cloud Functions runtime id. */
export const FUNCTION_RUNTIME = `nodejs${DEPLOYED_NODE_MAJOR}`;

/** The esbuild target of the function bundles. */
export const BUNDLE_TARGET = `node${DEPLOYED_NODE_MAJOR}`;
