import { TestClient } from './client';
import { ChatStack } from './stack';

/**
 * Registers the suite's hooks: the real stack starts once per file, every client a test opened
 * is closed after it, and the stack stops at the end.
 */
export function useChatStack(options: ConstructorParameters<typeof ChatStack>[0] = {}): { stack: ChatStack; connect: (port: number, user: string) => Promise<TestClient> } {
  const stack = new ChatStack(options);
  const clients: TestClient[] = [];
  beforeAll(() => stack.start());
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => stack.stop());
  return {
    stack,
    connect: async (port, user) => {
      const client = await TestClient.connect(port, user);
      clients.push(client);
      return client;
    },
  };
}
