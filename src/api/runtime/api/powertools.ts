import { Metrics } from '@aws-lambda-powertools/metrics';
import { createLogger } from '../../../core/runtime/shared/logger';
import { TemplateTracing } from '../../../core/runtime/shared/tracing';

// Created once per execution environment (outside the handler), configured by the
// POWERTOOLS_* variables the construct sets. The X-Ray SDK loads only where traces are
// recorded (Lambda with active tracing, POWERTOOLS_TRACE_ENABLED not false).
export const logger = createLogger();
export const metrics = new Metrics();
export const tracing = new TemplateTracing();
/** What routes get as `request.tracer`. */
export const tracer = tracing.tracer;
