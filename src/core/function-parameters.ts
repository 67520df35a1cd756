import { Stack, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { PARAMETERS_ENV } from './contract/parameters';
import { ParametersOptions } from './parameters-options';
import { concreteSeconds, invalidProp, secondsOrSecondsToken } from './validation';

/** Keys the logic uses in `parameters.get(key)`: identifier-like, so every language can name them. */
const KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * The parameter wiring of a function: validates the options, returns the variables the
 * template reads (names only) and, once the function exists, grants read on exactly those
 * resources.
 * @internal
 */
export function functionParameters(scope: IConstruct, where: string, o: ParametersOptions): {
  readonly environment: { [key: string]: string };
  grant(grantee: iam.IGrantable): void;
} {
  const parameters = o.parameters ?? {};
  const secrets = o.secrets ?? {};
  for (const [prop, map] of [['parameters', parameters], ['secrets', secrets]] as const) {
    for (const [key, value] of Object.entries(map)) {
      if (!KEY.test(key)) invalidProp(where, `${prop}.${key}`, key, 'Keys are what your logic passes to get()/secret(): a letter, then up to 63 letters, digits or "_" (e.g. "dbUrl").');
      if (value === undefined || value === null) invalidProp(where, `${prop}.${key}`, value, `Give ${prop === 'parameters' ? 'an SsmParameter' : 'an ISecret'} or remove the key.`);
    }
  }
  const count = Object.keys(parameters).length + Object.keys(secrets).length;
  const environment: { [key: string]: string } = {};
  if (o.parametersMaxAge !== undefined) {
    if (count === 0) invalidProp(where, 'parametersMaxAge', o.parametersMaxAge, 'It only applies with `parameters` or `secrets`; declare them or remove it.');
    const concrete = concreteSeconds(o.parametersMaxAge);
    if (concrete !== undefined && (!Number.isInteger(concrete) || concrete < 0)) {
      invalidProp(where, 'parametersMaxAge', o.parametersMaxAge, 'Use whole seconds, 0 (no cache) or more, e.g. Duration.minutes(5).');
    }
    const seconds = secondsOrSecondsToken(where, 'parametersMaxAge', o.parametersMaxAge, (unit) =>
      `Its amount is a token in ${unit}; give it in seconds (Duration.seconds(param.valueAsNumber)), which ${PARAMETERS_ENV.maxAge.name} needs.`,
    );
    environment[PARAMETERS_ENV.maxAge.name] = Tokenization.stringifyNumber(seconds);
  }
  const stack = Stack.of(scope);
  if (Object.keys(parameters).length > 0) {
    const names = Object.fromEntries(Object.entries(parameters).map(([key, p]) => [key, p.parameterName]));
    environment[PARAMETERS_ENV.ssmParameterNames.name] = stack.toJsonString(names);
  }
  if (Object.keys(secrets).length > 0) {
    const ids = Object.fromEntries(Object.entries(secrets).map(([key, s]) => [key, s.secretFullArn ?? s.secretArn]));
    environment[PARAMETERS_ENV.secretIds.name] = stack.toJsonString(ids);
  }
  return {
    environment,
    grant: (grantee) => {
      for (const [key, parameter] of Object.entries(parameters)) parameter._grantRead(grantee, scope, where, `parameters.${key}`);
      for (const secret of Object.values(secrets)) grantGetSecretValue(secret, grantee);
    },
  };
}

/**
 * Grants exactly `secretsmanager:GetSecretValue` on the secret (a partial ARN gets the
 * six-character suffix Secrets Manager appends), and `kms:Decrypt` through Secrets Manager
 * on its customer managed key.
 */
export function grantGetSecretValue(secret: secretsmanager.ISecret, grantee: iam.IGrantable): void {
  const arn = secret.secretFullArn ?? `${secret.secretArn}-??????`;
  iam.Grant.addToPrincipal({ grantee, actions: ['secretsmanager:GetSecretValue'], resourceArns: [arn] });
  secret.encryptionKey?.grantDecrypt(new kms.ViaServicePrincipal(`secretsmanager.${Stack.of(secret).region}.amazonaws.com`, grantee.grantPrincipal));
}

