import { AppError } from '../errors';

/** Refusals of case changes: not_found 404, conflict 409, invalid_request 400, forbidden 403 (lib/errors). */
export type CaseErrorCode = 'not_found' | 'conflict' | 'invalid_request' | 'forbidden';

export class CaseError extends AppError {
  declare readonly code: CaseErrorCode;
  constructor(
    code: CaseErrorCode,
    message: string,
    /** for conflicts: the version now stored */
    readonly currentVersion?: number,
    field?: string,
  ) {
    super(code, message, field ? { details: { field } } : {});
    this.name = 'CaseError';
  }
}

export function isCaseError(e: unknown): e is CaseError {
  return e instanceof CaseError;
}
