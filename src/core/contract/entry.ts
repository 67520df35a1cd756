/** What a `HandlerCode.fromEntry` module must export for a template to wrap it. */
export interface EntryContract {
  /** The named export the template calls. */
  readonly exportName: string;
  /** The export's shape, for error messages and docs. */
  readonly description: string;
}

/** PowertoolsFunction's and PowerTunedFunction's entry: one function that handles the event. */
export const HANDLE_ENTRY: EntryContract = {
  exportName: 'handle',
  description: 'export function handle(event, context) returning the response (sync or async)',
};
