import type { RouteTable } from '../../contract';

/** How many demo lines the export streams, one every few milliseconds, to show chunks arriving. */
const EXPORT_LINES = 5;

/**
 * `GET /orders/export`: streams NDJSON lines as they are produced; a client sees the first
 * line before the last is written. Replace it with your own streaming route.
 */
export const exportRoute: RouteTable = {
  'GET /orders/export': (request) => {
    const encoder = new TextEncoder();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === EXPORT_LINES) {
          controller.close();
          return;
        }
        sent++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        controller.enqueue(encoder.encode(`${JSON.stringify({ line: sent, of: EXPORT_LINES, requestId: request.requestId })}\n`));
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
  },
};
