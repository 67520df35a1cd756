/**
 * Helpers for testing stacks built with this library, for JavaScript and TypeScript test
 * runners: `import { assetHashSerializer } from 'cdk-serverless-powertools/lib/testing'`.
 * Not exported from the package root, so they stay out of the jsii (Python) API.
 */
export * as assetHashSerializer from './asset-hash-serializer';
export { maskAssetHashes } from './asset-hash-serializer';
export { maskVersionIds } from './version-ids';
