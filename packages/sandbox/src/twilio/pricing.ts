/**
 * What the sandbox charges: an illustrative −0.0079 USD per outbound segment (close to a US long
 * code), set on a message when it is `sent` and summed by Usage Records.
 *
 * @module
 */

/** Price of one outbound segment in USD. */
const pricePerSegment = 0.0079;

/** A message's `price` once sent: negative, five decimals, as Twilio writes it (`"-0.00790"`). */
export function messagePrice(segments: number): string {
  return `-${(segments * pricePerSegment).toFixed(5)}`;
}

/** A usage record's `price`: positive, five decimals. */
export function usagePrice(segments: number): string {
  return (segments * pricePerSegment).toFixed(5);
}
