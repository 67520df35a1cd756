import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ObservableApi } from '../../src/api';
import { HandlerCode } from '../../src/core';
import { restEvent } from '../handlers/api-events';
import { createTestApp } from '../support/app';
import { lambdaContext } from '../support/assets';
import { expectNagClean } from '../support/nag';

const ENTRY = path.join(__dirname, '..', '..', 'examples', 'api', 'orders-routes.ts');

describe('ObservableApi with HandlerCode.fromEntry', () => {
  test('bundles the user routes with the template; the bundle routes, validates JSON and maps errors', async () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Shop');
    new ObservableApi(stack, 'Api', { handlerCode: HandlerCode.fromEntry(ENTRY), serviceName: 'stock' });
    const template = Template.fromStack(stack);
    // No demo business metric is graphed for user code unless asked.
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'))).not.toContain('OrderCreated');
    expectNagClean(app);

    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as any;
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    const bundle = path.join(app.outdir, `asset.${hash}`, 'index.mjs');
    expect(fs.existsSync(bundle)).toBe(true);
    Object.assign(process.env, { POWERTOOLS_TRACE_ENABLED: 'false', POWERTOOLS_SERVICE_NAME: 'stock', POWERTOOLS_METRICS_NAMESPACE: 'Shop' });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const { handler } = await import(bundle);
      const ctx = lambdaContext();
      const ok = await handler(restEvent({ method: 'GET', path: '/stock/book', requestId: 'r1' }), ctx);
      expect(JSON.parse(ok.body)).toEqual({ item: 'book', count: 10 });
      const added = await handler(restEvent({ method: 'POST', path: '/stock/book', body: '{"add":2}', requestId: 'r2' }), ctx);
      expect(added.statusCode).toBe(201);
      expect(JSON.parse(added.body).count).toBe(12);
      const malformed = await handler(restEvent({ method: 'POST', path: '/stock/book', body: '{', requestId: 'r3' }), ctx);
      expect(malformed.statusCode).toBe(400);
      const unknown = await handler(restEvent({ method: 'GET', path: '/stock/ink', requestId: 'r4' }), ctx);
      expect(unknown.statusCode).toBe(404);
    } finally {
      write.mockRestore();
    }
  });
});
