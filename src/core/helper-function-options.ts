import { PowertoolsFunctionOptions } from './function-options';

/**
 * What a construct's helper functions (the tuner's, a custom resource's) inherit from the
 * options of its main function: the network, log retention, level and encryption, and
 * monitoring. A hardened configuration (VPC, log-group key, long retention) then covers
 * every function the construct creates, not only the main one. Code, memory, timeout and
 * concurrency stay the helper's own.
 * @internal
 */
export function helperFunctionOptions(o: PowertoolsFunctionOptions): PowertoolsFunctionOptions {
  return {
    vpc: o.vpc,
    vpcSubnets: o.vpcSubnets,
    securityGroups: o.securityGroups,
    logRetention: o.logRetention,
    logLevel: o.logLevel,
    tracing: o.tracing,
    logGroupEncryptionKey: o.logGroupEncryptionKey,
    environmentEncryption: o.environmentEncryption,
    architecture: o.architecture,
    monitoring: o.monitoring,
  };
}
