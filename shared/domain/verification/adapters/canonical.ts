import { VerificationBatch, VerificationEvent } from '../../../contracts/schemas/verification.ts';
import { validatorFor } from '../../../contracts/schemas/validator.ts';
import { checkVerificationEvents } from '../check-events.ts';
import { tryRefuseTooManyEvents } from './too-many-events.ts';
import type { VendorAdapter } from './vendor-adapter.ts';

const validateEvent = validatorFor(VerificationEvent);
const validateBatch = validatorFor(VerificationBatch);

const isBatchShaped = (body: unknown): boolean => typeof body === 'object' && body !== null && !Array.isArray(body) && 'events' in body;

/**
 * The body README.md documents (Vendor callbacks) as is: one event, or `{events:[...]}`. The shape is chosen by the `events` key
 * rather than by a schema union, so errors name the field (`/events/3/ivt`) instead of listing
 * why the body matches neither branch.
 */
export const canonicalAdapter: VendorAdapter = {
  description: 'one event {impression_id, campaign_id, measured_at, ivt, reasons?, geo_match?, brand_safe?, audible?} or {events:[...]} (README.md, Vendor callbacks)',
  tryMapBody(body, window) {
    if (isBatchShaped(body)) {
      const tooMany = tryRefuseTooManyEvents((body as { events: unknown }).events, '/events');
      if (tooMany) return tooMany;
      const batch = validateBatch(body);
      return batch.ok ? checkVerificationEvents(batch.value.events, (i, field) => `/events/${i}/${field}`, window) : batch;
    }
    const event = validateEvent(body);
    return event.ok ? checkVerificationEvents([event.value], (_i, field) => `/${field}`, window) : event;
  },
};
