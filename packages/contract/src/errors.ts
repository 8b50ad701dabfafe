// Kling's error codes (spec §1.7): the HTTP status and meaning of each, and the error type every room throws.

export interface KlingCodeInfo {
  http: number;
  category: string;
  meaning: string;
  /**
   * Whether the same request may succeed if sent again later: rate (1302) and concurrency (1303) limits pass, and so
   * do Kling's internal errors (5000–5002). Account states (1100–1103) and the IP whitelist (1304) need a person.
   */
  retryable?: true;
  /**
   * The account itself cannot take requests until a person acts (a bad key, arrears, packs used up, a missing
   * permission, an IP not on the allowlist): a gateway sends further requests to another account instead.
   */
  blocksAccount?: true;
}

export const KLING_CODES: Record<number, KlingCodeInfo> = {
  0: { http: 200, category: 'success', meaning: 'Request successful' },
  1000: { http: 401, category: 'auth', meaning: 'Authentication failed', blocksAccount: true },
  1001: { http: 401, category: 'auth', meaning: 'Authorization is empty', blocksAccount: true },
  1002: { http: 401, category: 'auth', meaning: 'Authorization is invalid', blocksAccount: true },
  1003: { http: 401, category: 'auth', meaning: 'Authorization is not yet valid' },
  1004: { http: 401, category: 'auth', meaning: 'Authorization has expired' },
  1100: { http: 429, category: 'account', meaning: 'Account exception', blocksAccount: true },
  1101: { http: 429, category: 'account', meaning: 'Account in arrears', blocksAccount: true },
  1102: { http: 429, category: 'account', meaning: 'Resource pack depleted or expired', blocksAccount: true },
  1103: { http: 403, category: 'account', meaning: 'Unauthorized access to requested resource', blocksAccount: true },
  1200: { http: 400, category: 'parameters', meaning: 'Invalid request parameters' },
  1201: { http: 400, category: 'parameters', meaning: 'Invalid parameters' },
  1202: { http: 404, category: 'parameters', meaning: 'Requested method is invalid' },
  1203: { http: 404, category: 'parameters', meaning: 'Requested resource does not exist' },
  1300: { http: 400, category: 'policy', meaning: 'Platform policy triggered' },
  1301: { http: 400, category: 'policy', meaning: 'Content security policy triggered' },
  1302: { http: 429, category: 'rate', meaning: 'Request rate exceeds platform limit', retryable: true },
  1303: { http: 429, category: 'rate', meaning: 'parallel task over resource pack limit', retryable: true },
  1304: { http: 429, category: 'rate', meaning: 'IP whitelist policy triggered', blocksAccount: true },
  5000: { http: 500, category: 'server', meaning: 'Server internal error', retryable: true },
  5001: { http: 503, category: 'server', meaning: 'Server temporarily unavailable', retryable: true },
  5002: { http: 504, category: 'server', meaning: 'Server internal timeout', retryable: true },
};

/** The HTTP status Kling answers a code with; unknown codes are treated as internal errors. */
export function httpStatusOf(code: number): number {
  return KLING_CODES[code]?.http ?? 500;
}

/** A Kling error: what a client sees as `{code, message}` with the code's HTTP status. */
export class KlingError extends Error {
  readonly code: number;
  readonly httpStatus: number;

  constructor(code: number, message?: string) {
    super(message ?? KLING_CODES[code]?.meaning ?? 'Unknown error');
    this.name = 'KlingError';
    this.code = code;
    this.httpStatus = httpStatusOf(code);
  }
}

/** Whether a Kling code is worth retrying as it is (unknown codes are judged by their HTTP status by the caller). */
export const isRetryableCode = (code: number): boolean => KLING_CODES[code]?.retryable === true;

/** Whether a Kling code says the account, not the request, is the problem (see KlingCodeInfo.blocksAccount). */
export const blocksAccount = (code: number): boolean => KLING_CODES[code]?.blocksAccount === true;

export const invalidParam = (message: string) => new KlingError(1201, message);
