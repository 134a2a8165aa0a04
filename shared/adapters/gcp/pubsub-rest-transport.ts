import type { WireMessage } from '../../platform/messaging/message-encoding.ts';
import type { GoogleApi } from './google-api.ts';
import type { PublishTransport } from './pubsub-transport.ts';

/** `topics.publish` of Pub/Sub's REST API: node:http, which functions-framework has loaded already. */
export function createRestTransport(api: GoogleApi): PublishTransport {
  return {
    async send(topic: string, messages: readonly WireMessage[]): Promise<void> {
      const body = messages.map((m) => ({ data: m.data.toString('base64'), ...(m.attributes ? { attributes: m.attributes } : {}) }));
      await api.post(`/v1/${topic}:publish`, { messages: body });
    },
    close() {},
  };
}
