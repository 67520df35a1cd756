import { Aws, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { invalidProp } from './validation';

/**
 * The accounts that publish the official Powertools for AWS Lambda layers (the Powertools
 * documentation, "Lambda Layers"): one per language in the commercial regions, and one
 * account for both languages in each of China and GovCloud.
 */
const PUBLISHER = {
  typeScript: '094274105915',
  python: '017000801446',
};
const PARTITION_PUBLISHERS: Record<string, string> = {
  'cn-north-1': '498634801083',
  'us-gov-east-1': '165087284144',
  'us-gov-west-1': '165093116878',
};

/** The publishing account for a concrete region; a token region (env-agnostic stack) gets the commercial one. */
function publisher(scope: Construct, commercial: string): string {
  const region = Stack.of(scope).region;
  return (!Token.isUnresolved(region) && PARTITION_PUBLISHERS[region]) || commercial;
}

/**
 * The official Powertools for AWS Lambda layer, for functions that bring their own code
 * in another runtime (`HandlerCode.fromCode`); the bundled templates already contain
 * Powertools. The layer is resolved for the function's region and architecture, either
 * pinned to a layer version or through the public SSM parameter Powertools publishes.
 */
export abstract class PowertoolsLayer {
  /**
   * Powertools for AWS Lambda (TypeScript) v2, `AWSLambdaPowertoolsTypeScriptV2`: one layer
   * for both architectures, for Node.js runtimes.
   *
   * @param layerVersion the layer version number (e.g. 50 for Powertools 2.35.0; see the
   * Powertools release notes; layer numbers differ in China and GovCloud). Omit it to resolve
   * the latest at deploy time through `/aws/service/powertools/typescript/generic/all/latest`,
   * which Powertools publishes in the commercial regions only.
   */
  public static typeScript(layerVersion?: number): PowertoolsLayer {
    return new TypeScriptLayer(layerVersion);
  }

  /**
   * Powertools for AWS Lambda (Python) v3,
   * `AWSLambdaPowertoolsPythonV3-<python>-<arch>`, for Python runtimes: the Python version
   * comes from the function's runtime, the architecture from the function.
   *
   * @param layerVersion the layer version number. Omit it to resolve the latest at deploy
   * time through `/aws/service/powertools/python/<arch>/<python>/latest`, published in the
   * commercial regions only.
   */
  public static python(layerVersion?: number): PowertoolsLayer {
    return new PythonLayer(layerVersion);
  }

  /**
   * The layer for a function.
   * @internal
   */
  public abstract _bind(scope: Construct, architecture: lambda.Architecture, runtime: lambda.Runtime): lambda.ILayerVersion;
}

abstract class VersionedLayer extends PowertoolsLayer {
  constructor(protected readonly layerVersion: number | undefined) {
    super();
  }

  protected arnOrParameter(scope: Construct, pinnedArn: (version: number) => string, parameterName: string): lambda.ILayerVersion {
    const version = this.layerVersion;
    if (version !== undefined && !Token.isUnresolved(version) && (!Number.isInteger(version) || version < 1)) {
      invalidProp(scope.node.path, 'powertoolsLayer', version, 'The layer version is a whole number of at least 1 (see the Powertools release notes), or omit it for the latest.');
    }
    const arn = version !== undefined ? pinnedArn(version) : ssm.StringParameter.valueForStringParameter(scope, parameterName);
    return lambda.LayerVersion.fromLayerVersionArn(scope, 'PowertoolsLayer', arn);
  }
}

class TypeScriptLayer extends VersionedLayer {
  public _bind(scope: Construct, _architecture: lambda.Architecture, runtime: lambda.Runtime): lambda.ILayerVersion {
    if (runtime.family !== lambda.RuntimeFamily.NODEJS) {
      invalidProp(scope.node.path, 'powertoolsLayer', 'PowertoolsLayer.typeScript()', `The TypeScript layer runs on Node.js, but the function runs ${runtime.name}; use PowertoolsLayer.python() for Python.`);
    }
    return this.arnOrParameter(
      scope,
      (version) => `arn:${Aws.PARTITION}:lambda:${Stack.of(scope).region}:${publisher(scope, PUBLISHER.typeScript)}:layer:AWSLambdaPowertoolsTypeScriptV2:${version}`,
      '/aws/service/powertools/typescript/generic/all/latest',
    );
  }
}

class PythonLayer extends VersionedLayer {
  public _bind(scope: Construct, architecture: lambda.Architecture, runtime: lambda.Runtime): lambda.ILayerVersion {
    const python = /^python(3\.\d+)$/.exec(runtime.name);
    if (runtime.family !== lambda.RuntimeFamily.PYTHON || !python) {
      invalidProp(scope.node.path, 'powertoolsLayer', 'PowertoolsLayer.python()', `The Python layer runs on Python 3, but the function runs ${runtime.name}; use PowertoolsLayer.typeScript() for Node.js.`);
    }
    const arch = architecture.name === lambda.Architecture.ARM_64.name ? 'arm64' : 'x86_64';
    const compact = `python${python[1].replace('.', '')}`;
    return this.arnOrParameter(
      scope,
      (version) => `arn:${Aws.PARTITION}:lambda:${Stack.of(scope).region}:${publisher(scope, PUBLISHER.python)}:layer:AWSLambdaPowertoolsPythonV3-${compact}-${arch}:${version}`,
      `/aws/service/powertools/python/${arch}/${runtime.name}/latest`,
    );
  }
}
