/** Error codes of protocol v1; every failed ack carries exactly one of these. */
export const ErrorCode = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Whether a client may retry the same request unchanged and expect a different outcome. */
const RETRYABLE: Readonly<Record<ErrorCode, boolean>> = {
  UNAUTHORIZED: false,
  FORBIDDEN: false,
  INVALID_PAYLOAD: false,
  NOT_IN_ROOM: false,
  PAYLOAD_TOO_LARGE: false,
  RATE_LIMITED: true,
  UNAVAILABLE: true,
  INTERNAL: false,
};

export interface ProtocolErrorBody {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

/** Thrown anywhere in a handler to answer the ack with a protocol error instead of crashing. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }

  toBody(): ProtocolErrorBody {
    return { code: this.code, message: this.message, retryable: RETRYABLE[this.code] };
  }
}

export function isRetryable(code: ErrorCode): boolean {
  return RETRYABLE[code];
}
