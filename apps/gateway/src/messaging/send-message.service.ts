import { v7 as uuidv7 } from 'uuid';
import { ChatMessageRecord, Message, MessageSendRequest, toMessage } from '@chat/contracts';
import { MessagePublisher } from './message-publisher';
import { SendDedupeStore } from './send-dedupe.store';

/** message:send after validation and room checks: dedupe by clientMsgId, then publish. */
export class SendMessageService {
  /** Sends of this gateway not yet settled by Kafka: a retry meanwhile awaits the same result. */
  private readonly inFlight = new Map<string, Promise<Message>>();

  constructor(
    private readonly publisher: MessagePublisher,
    private readonly dedupe: SendDedupeStore,
  ) {}

  send(senderId: string, request: MessageSendRequest, deadline: number): Promise<Message> {
    const key = SendDedupeStore.key(senderId, request.roomId, request.clientMsgId);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const sending = this.claimAndPublish(key, senderId, request, deadline).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, sending);
    return sending;
  }

  private async claimAndPublish(key: string, senderId: string, request: MessageSendRequest, deadline: number): Promise<Message> {
    const claim = await this.dedupe.claim(key, { messageId: uuidv7(), sentAt: new Date().toISOString() });
    if (claim.kind === 'done') return claim.message;

    const record: ChatMessageRecord = {
      messageId: claim.draft.messageId,
      roomId: request.roomId,
      senderId,
      body: request.body,
      clientMsgId: request.clientMsgId,
      sentAt: claim.draft.sentAt,
    };
    const offset = await this.publisher.publish(record, deadline);
    const message = toMessage(record, offset);
    // The message is durable in Kafka now: a failure to remember it must not fail the send.
    await this.dedupe.complete(key, message);
    return message;
  }
}
