import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Check } from './checks';

/** What every scenario gets from the demo runner. */
export interface ScenarioContext {
  readonly log: (line: string) => void;
  readonly check: Check;
  /** Where the bundled templates are (assets/ of this repository by default). */
  readonly assetsDir: string;
  /** Where files the demo produces go. */
  readonly outDir: string;
  /** The embedded DynamoDB (dynalite) every template that needs one talks to. */
  readonly dynamo: { readonly endpoint: string; readonly client: DynamoDBClient };
}
