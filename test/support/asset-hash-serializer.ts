/**
 * The repo's jest snapshot serializer: the one the package ships to users
 * (src/testing/asset-hash-serializer.ts), so our snapshots are masked exactly as theirs.
 */
import { serialize, test } from '../../src/testing/asset-hash-serializer';

export = { test, serialize };
