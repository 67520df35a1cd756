import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { createLogger } from '../../../core/runtime/shared/logger';

// Created once per execution environment (outside the handler), configured by the
// POWERTOOLS_* variables the construct sets. Tracer switches itself off outside Lambda
// (no AWS_EXECUTION_ENV) and when POWERTOOLS_TRACE_ENABLED=false.
export const logger = createLogger();
export const metrics = new Metrics();
export const tracer = new Tracer();
