// Events on their way to a UI: validated against the contract's event schemas first, so a
// transport never pushes something the renderer does not expect.
import { events, type EventName } from '../../shared/api';

/** The payload as the contract describes it, or null when it does not match (a bug). */
export function checkEvent(event: EventName, payload: unknown): unknown | null {
  const schema = events[event];
  if (!schema) return null;
  const parsed = schema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}
