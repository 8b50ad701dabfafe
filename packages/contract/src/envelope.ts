// The envelope every Kling answer travels in (spec §1.4), errors included.

export interface Envelope<T> {
  code: number;
  message: string;
  request_id: string;
  data?: T;
}

export function successEnvelope<T>(requestId: string, data: T): Envelope<T> {
  return { code: 0, message: 'SUCCEED', request_id: requestId, data };
}

/** Kling's documented error sample (1303) has no `data` key, so errors carry none. */
export function errorEnvelope(requestId: string, code: number, message: string): Envelope<never> {
  return { code, message, request_id: requestId };
}
