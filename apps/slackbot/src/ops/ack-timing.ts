import type { ReceiverEvent } from '@slack/bolt';

/** When a request reached Bolt and when it was acknowledged (performance.now() milliseconds). */
export interface AckTiming {
  receivedAt: number;
  ackedAt: number | undefined;
}

/** The context key the timing travels under (Bolt copies an event's customProperties into its context). */
export const ackTimingKey = 'atlasBotAckTiming';

/**
 * The event with its ack timed. Both receivers (HTTP and Socket Mode) hand Bolt their own ack
 * function; timing it here, where every event passes, measures what Slack waits for in either.
 */
export function withAckTiming(
  event: ReceiverEvent,
  now: () => number = () => performance.now(),
): ReceiverEvent {
  const timing: AckTiming = { receivedAt: now(), ackedAt: undefined };
  const ack = event.ack;
  return {
    ...event,
    ack: (response) => {
      timing.ackedAt ??= now();
      return ack(response);
    },
    customProperties: { ...event.customProperties, [ackTimingKey]: timing },
  };
}

export function ackTimingOf(context: Record<string, unknown>): AckTiming | undefined {
  const timing = context[ackTimingKey];
  return typeof timing === 'object' && timing !== null && 'receivedAt' in timing
    ? (timing as AckTiming)
    : undefined;
}
