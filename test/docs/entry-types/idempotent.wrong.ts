import type { ProcessEventFunction } from 'cdk-serverless-powertools/lib/entry-types';

// The context has awsRequestId, not requestId.
export const processEvent: ProcessEventFunction = (_event, context) => context.requestId;
