export * from './lib/errors';
export * from './lib/ids';
export * from './lib/message';
export * from './lib/socket/events';
export * from './lib/kafka/topic';
export * from './lib/kafka/topics';
export * from './lib/kafka/chat-messages.topic';
export * from './lib/kafka/history.topic';
