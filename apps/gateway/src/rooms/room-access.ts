import { ErrorCode, mayAccessRoom, ProtocolError } from '@chat/contracts';

export function assertMayAccess(userId: string, roomId: string): void {
  if (!mayAccessRoom(userId, roomId)) {
    throw new ProtocolError(ErrorCode.FORBIDDEN, `you may not access ${roomId}`);
  }
}
