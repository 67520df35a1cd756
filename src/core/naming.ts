import { createHash } from 'crypto';
import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The construct's path below its stack, joined by '-': `Api/Orders` in stack `Shop`
 * gives `Api-Orders`. Used as the default Powertools service name.
 */
export function pathDerivedName(scope: IConstruct): string {
  const stack = Stack.of(scope);
  const parts = scope.node.scopes.slice(scope.node.scopes.indexOf(stack) + 1).map((c) => c.node.id);
  const name = parts.join('-').replace(/[^A-Za-z0-9_-]/g, '') || stack.stackName;
  return name;
}

/**
 * A name unique in the account and region: stack name + construct path + suffix. Stack
 * names are unique per region and paths are unique per stack, so two constructs never
 * collide. Names over `maxLength` keep their head and tail and gain a hash of the whole.
 */
export function uniqueName(scope: IConstruct, suffix: string, maxLength = 255): string {
  const full = `${Stack.of(scope).stackName}-${pathDerivedName(scope)}-${suffix}`;
  if (full.length <= maxLength) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const keep = maxLength - hash.length - 1;
  const head = Math.ceil(keep / 2);
  return `${full.slice(0, head)}${full.slice(full.length - (keep - head))}-${hash}`;
}
