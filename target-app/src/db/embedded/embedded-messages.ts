// What the embedded database process tells the target that started it, over the IPC channel.
export type EmbeddedDbMessage =
  | { type: 'ready'; host: string; port: number }
  | { type: 'failed'; message: string };

export function isEmbeddedDbMessage(value: unknown): value is EmbeddedDbMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Partial<EmbeddedDbMessage> & Record<string, unknown>;
  switch (message.type) {
    case 'ready':
      return typeof message.host === 'string' && typeof message.port === 'number';
    case 'failed':
      return typeof message.message === 'string';
    default:
      return false;
  }
}
