/** An error the CLI prints as one actionable line, without a stack trace. */
export class StackError extends Error {
  override readonly name: string = 'StackError';
}
