/**
 * Clients that shared code makes for itself (the parameters reader's), which no template
 * hands to its tracer: they wait here until the template's tracer is loaded, which then traces
 * them and every one made later. Without tracing, nothing ever takes them (a few per process).
 */
type Capture = (client: object) => void;

const waiting: object[] = [];
let capture: Capture | undefined;

/** Traces `client`'s calls once (or as soon as) the template records traces. */
export function traceWhenRecording<T extends object>(client: T): T {
  if (capture) capture(client);
  else waiting.push(client);
  return client;
}

/** Called by the template's tracer once loaded: `fn` takes every client registered, before and after. */
export function captureRegisteredClients(fn: Capture): void {
  capture = fn;
  for (const client of waiting.splice(0)) fn(client);
}
