import type { VerificationEvent } from '../../../contracts/schemas/verification.ts';
import type { Validation } from '../../../contracts/schemas/validator.ts';
import type { TimeWindow } from '../../intake/time-bounds.ts';

/**
 * Turns one vendor's callback body into canonical events (README.md, Vendor callbacks). An adapter validates
 * completely: what it returns is stored as is, and its field errors name the vendor's own fields
 * (JSON Pointers into the body), so the vendor can tell what to fix.
 */
export interface VendorAdapter {
  /** What the format looks like, one line, for docs and logs. */
  description: string;
  /**
   * The events of a parsed JSON body, or the field errors that make it unusable; with `window`,
   * events measured outside it are errors too (pass it on to `checkVerificationEvents`).
   */
  tryMapBody(body: unknown, window?: TimeWindow): Validation<VerificationEvent[]>;
}
