/**
 * A Lambda version's logical id ends with a hash of the function's code and configuration
 * (`fn.currentVersion`, used by aliases and PowerTunedFunction's tuneOnDeploy), so it
 * changes whenever a bundled template's bytes do, like an asset hash. Jest serializers
 * only see values, not the keys these ids are, hence a function to apply before snapshotting.
 */
const VERSION_ID = /(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}/g;

/** The template (or any JSON value) with every version logical-id hash replaced by `VERSION_HASH`. */
export function maskVersionIds<T>(template: T): T {
  return JSON.parse(JSON.stringify(template).replace(VERSION_ID, '$1VERSION_HASH')) as T;
}
