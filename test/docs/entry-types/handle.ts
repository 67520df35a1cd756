// PowertoolsFunction and PowerTunedFunction: handle(event, context).
import type { HandleFunction } from 'cdk-serverless-powertools/lib/entry-types';

export const handle: HandleFunction = async (event: { size?: number }, context) => ({
  size: event.size ?? 0,
  memoryMb: Number(context.memoryLimitInMB),
});
