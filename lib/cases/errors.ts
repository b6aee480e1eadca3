/**
 * Refusals of case changes. `code` maps onto the HTTP API's error codes
 * (lib/contracts/errors.ts): not_found 404, conflict 409, invalid_request 400.
 */
export type CaseErrorCode = 'not_found' | 'conflict' | 'invalid_request';

export class CaseError extends Error {
  constructor(
    readonly code: CaseErrorCode,
    message: string,
    /** for conflicts: the version now stored */
    readonly currentVersion?: number,
  ) {
    super(message);
    this.name = 'CaseError';
  }
}

export function isCaseError(e: unknown): e is CaseError {
  return e instanceof CaseError;
}
