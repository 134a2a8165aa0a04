import { maxBodyBytes, type Admission, type HttpResponse } from './types.ts';

/** Routes without a body (pixels, redirects, health) still get a little room for clients that send one. */
export const smallBodyBytes = 64 * 1024;

export const admitBody = (bodyLimit = maxBodyBytes): Admission => ({ ok: true, bodyLimit });
export const refuseBody = (response: HttpResponse): Admission => ({ ok: false, response });
