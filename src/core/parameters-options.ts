import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { IConstruct } from 'constructs';
import { invalidProp } from './validation';

/** Options of an SSM parameter given by name. */
export interface SsmParameterOptions {
  /**
   * The customer managed key of a SecureString parameter: the function also gets
   * `kms:Decrypt` on it.
   *
   * @default - no key grant (a String parameter, or a SecureString under the AWS managed key `alias/aws/ssm`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Whether the name is a simple name (`db-url`) rather than a path (`/shop/db-url`). Only
   * needed when the name is a token: the ARN of a path has no extra `/`. Unset with a token
   * name, the grant covers both ARN forms of that one name.
   *
   * @default - read from the name; both forms for a token
   */
  readonly simpleName?: boolean;
}

/**
 * An SSM parameter the function reads through `context.parameters.get(key)`: by name, or a
 * parameter construct. The function gets `ssm:GetParameter` on exactly that parameter (and
 * `kms:Decrypt` on its customer managed key).
 */
export abstract class SsmParameter {
  /**
   * A parameter of this stack's account and region by name, e.g. `/shop/db-url`. A token
   * (e.g. `CfnParameter.valueAsString`) is accepted.
   */
  public static fromName(parameterName: string, options: SsmParameterOptions = {}): SsmParameter {
    return new NamedParameter(parameterName, options);
  }

  /**
   * A parameter construct, e.g. an `ssm.StringParameter` of this app or one imported with
   * `StringParameter.fromSecureStringParameterAttributes` (its `encryptionKey` is granted).
   */
  public static fromParameter(parameter: ssm.IParameter, options: SsmParameterOptions = {}): SsmParameter {
    return new ConstructParameter(parameter, options);
  }

  /** The name the function reads. */
  public abstract readonly parameterName: string;

  /** @internal */
  public abstract _grantRead(grantee: iam.IGrantable, scope: IConstruct, where: string, prop: string): void;
}

/** SSM parameter names: letters, digits and `_.-/`, up to 2048 characters; a path starts with `/`. */
const PARAMETER_NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/;

class NamedParameter extends SsmParameter {
  constructor(public readonly parameterName: string, private readonly options: SsmParameterOptions) {
    super();
  }

  public _grantRead(grantee: iam.IGrantable, scope: IConstruct, where: string, prop: string): void {
    const name = this.parameterName;
    const stack = Stack.of(scope);
    let arns: string[];
    if (Token.isUnresolved(name)) {
      const simple = this.options.simpleName;
      arns = [
        ...(simple !== false ? [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })] : []),
        ...(simple !== true ? [stack.formatArn({ service: 'ssm', resource: `parameter${name}`, arnFormat: ArnFormat.NO_RESOURCE_NAME })] : []),
      ];
    } else {
      if (!PARAMETER_NAME.test(name) || (name.includes('/') && !name.startsWith('/')) || name.includes('//')) {
        invalidProp(where, prop, name, 'An SSM parameter name is a simple name ("db-url") or a path starting with "/" ("/shop/db-url"): letters, digits and _.-/ only.');
      }
      arns = [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, ''), arnFormat: ArnFormat.SLASH_RESOURCE_NAME })];
    }
    grantGetParameter(grantee, arns, this.options.encryptionKey);
  }
}

class ConstructParameter extends SsmParameter {
  public readonly parameterName: string;

  constructor(private readonly parameter: ssm.IParameter, private readonly options: SsmParameterOptions) {
    super();
    this.parameterName = parameter.parameterName;
  }

  public _grantRead(grantee: iam.IGrantable): void {
    // Parameter constructs carry their SecureString key; IParameter does not declare it.
    const key = this.options.encryptionKey ?? (this.parameter as { encryptionKey?: kms.IKey }).encryptionKey;
    grantGetParameter(grantee, [this.parameter.parameterArn], key);
  }
}

/** Only what Powertools' getParameter calls: GetParameter (no GetParameters, history or describe). */
function grantGetParameter(grantee: iam.IGrantable, resourceArns: string[], key: kms.IKey | undefined): void {
  iam.Grant.addToPrincipal({ grantee, actions: ['ssm:GetParameter'], resourceArns });
  key?.grantDecrypt(grantee);
}

/** The parameters and secrets a function reads; every construct takes them. */
export interface ParametersOptions {
  /**
   * SSM parameters the function reads, under keys you choose:
   * `{ dbUrl: SsmParameter.fromName('/shop/db-url') }`, then
   * `await context.parameters.get('dbUrl')` in your logic. The function gets
   * `ssm:GetParameter` on exactly these parameters (and `kms:Decrypt` on a customer managed
   * key); only their names reach the environment (`PARAMETERS_SSM_NAMES`), never a value.
   *
   * @default - none
   */
  readonly parameters?: { [key: string]: SsmParameter };

  /**
   * Secrets Manager secrets the function reads, under keys you choose:
   * `{ stripe: stripeSecret }`, then `await context.parameters.secret('stripe')`. The
   * function gets `secretsmanager:GetSecretValue` on exactly these secrets (and `kms:Decrypt`
   * through Secrets Manager on a customer managed key); only their ARNs reach the
   * environment (`PARAMETERS_SECRET_IDS`), never a value.
   *
   * @default - none
   */
  readonly secrets?: { [key: string]: secretsmanager.ISecret };

  /**
   * How long a fetched parameter or secret value is cached in the execution environment
   * (`POWERTOOLS_PARAMETERS_MAX_AGE`), in whole seconds; 0 fetches on every read. Needs
   * `parameters` or `secrets`.
   *
   * @default Duration.seconds(5) - Powertools Parameters' default
   */
  readonly parametersMaxAge?: Duration;
}
