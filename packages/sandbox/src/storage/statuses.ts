/**
 * Message statuses and the groups the sandbox reasons with, defined once. Every status is in
 * exactly one of {@link inFlightStatuses} and {@link completeStatuses}, except the inbound-only
 * `receiving` (never stored by the sandbox).
 *
 * @doc https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
 * @module
 */

export type MessageStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'delivered'
  | 'undelivered'
  | 'receiving'
  | 'received'
  | 'accepted'
  | 'scheduled'
  | 'read'
  | 'partially_delivered'
  | 'canceled';

/**
 * Statuses the life cycle still moves on from (resumed after a restart). `sent` is one: it waits
 * for the delivery receipt, and Twilio refuses to delete a `sent` message (20009).
 */
export const inFlightStatuses: ReadonlySet<MessageStatus> = new Set(['accepted', 'scheduled', 'queued', 'sending', 'sent']);

/**
 * Complete: nothing changes any more. Only these can be deleted through the Twilio API (else 20009
 * "Cannot delete this resource before it is complete").
 */
export const completeStatuses: ReadonlySet<MessageStatus> = new Set([
  'delivered',
  'undelivered',
  'failed',
  'canceled',
  'received',
  'read',
  'partially_delivered',
]);

/** Billed: the message left the platform (its price is set at `sent`). Usage Records count these. */
export const billedStatuses: ReadonlySet<MessageStatus> = new Set([
  'sent',
  'delivered',
  'undelivered',
  'partially_delivered',
  'read',
]);

/** A group as an SQL list, e.g. `('sent', 'delivered')` (the names are fixed identifiers, not input). */
export function sqlStatusList(statuses: ReadonlySet<MessageStatus>): string {
  return `(${[...statuses].map((status) => `'${status}'`).join(', ')})`;
}
