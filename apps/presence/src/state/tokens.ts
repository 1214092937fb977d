/** The group's PresenceStore (Redis). */
export const PRESENCE_STORE = Symbol('PRESENCE_STORE');
/** This process's id in the leader lock. */
export const INSTANCE_ID = Symbol('INSTANCE_ID');
/** The one Kafka producer: presence.changes and the DLQ. */
export const PRESENCE_PRODUCER = Symbol('PRESENCE_PRODUCER');
/** The presence service's DeadLetterSink (a DeadLetterPublisher on PRESENCE_PRODUCER). */
export const PRESENCE_DEAD_LETTERS = Symbol('PRESENCE_DEAD_LETTERS');
