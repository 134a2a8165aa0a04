import { Client, credentials, Metadata, status, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import type { WireMessage } from '../../platform/messaging/message-encoding.ts';
import { backoff, GoogleApiError, toEmulatorUrl, type TokenSource } from './google-api.ts';
import { encodePublishRequest } from './pubsub-publish-request.ts';
import type { PublishTransport } from './pubsub-transport.ts';

const publishMethod = '/google.pubsub.v1.Publisher/Publish';
const attempts = 4;
const deadlineMs = 60_000;

/** The codes Google's own publisher retries. */
const transientCodes = new Set<number>([status.ABORTED, status.CANCELLED, status.DEADLINE_EXCEEDED, status.INTERNAL, status.RESOURCE_EXHAUSTED, status.UNAVAILABLE, status.UNKNOWN]);

/** The HTTP status Google's REST surface gives each gRPC code, so a refusal reads the same over either transport. */
const httpStatusOf: Partial<Record<number, number>> = {
  [status.INVALID_ARGUMENT]: 400,
  [status.FAILED_PRECONDITION]: 400,
  [status.OUT_OF_RANGE]: 400,
  [status.UNAUTHENTICATED]: 401,
  [status.PERMISSION_DENIED]: 403,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.ABORTED]: 409,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.CANCELLED]: 499,
  [status.UNIMPLEMENTED]: 501,
  [status.UNAVAILABLE]: 503,
  [status.DEADLINE_EXCEEDED]: 504,
};

const asIs = (bytes: Buffer) => bytes;

function toApiError(err: ServiceError, topic: string): GoogleApiError {
  const code = status[err.code] ?? String(err.code);
  return new GoogleApiError(httpStatusOf[err.code] ?? 500, code, `${topic}:publish: ${code} ${String(err.details).slice(0, 300)}`);
}

/** Bearer tokens from `token` on every call, over TLS. */
function tokenCredentials(token: TokenSource): ChannelCredentials {
  const bearer = credentials.createFromMetadataGenerator((_params, callback) => {
    token().then(
      (value) => {
        const metadata = new Metadata();
        if (value) metadata.set('authorization', `Bearer ${value}`);
        callback(null, metadata);
      },
      (err: Error) => callback(err),
    );
  });
  return credentials.combineChannelCredentials(credentials.createSsl(), bearer);
}

/** Where the gRPC transport connects: Pub/Sub with tokens over TLS, or an emulator's `host:port` in plain HTTP/2. */
export type GrpcTarget = { emulatorHost: string } | { token: TokenSource };

/**
 * `Publisher.Publish` over gRPC, one HTTP/2 connection for every call, the request written by
 * hand (`encodePublishRequest`): only the transport is loaded, not the Pub/Sub SDK and its
 * protocol buffers.
 */
export function createGrpcTransport(target: GrpcTarget): PublishTransport {
  let client: Client | undefined;
  const connect = () =>
    'emulatorHost' in target
      ? new Client(new URL(toEmulatorUrl(target.emulatorHost)).host, credentials.createInsecure())
      : new Client('pubsub.googleapis.com:443', tokenCredentials(target.token));
  const call = (request: Buffer) =>
    new Promise<void>((resolve, reject) => {
      client ??= connect();
      client.makeUnaryRequest(publishMethod, asIs, asIs, request, new Metadata(), { deadline: Date.now() + deadlineMs }, (err) => (err ? reject(err) : resolve()));
    });
  return {
    async send(topic: string, messages: readonly WireMessage[]): Promise<void> {
      const request = encodePublishRequest(topic, messages);
      for (let attempt = 1; ; attempt++) {
        try {
          return await call(request);
        } catch (err) {
          const error = err as ServiceError;
          if (typeof error.code !== 'number') throw err;
          if (!transientCodes.has(error.code) || attempt >= attempts) throw toApiError(error, topic);
          await backoff(attempt);
        }
      }
    },
    close() {
      client?.close();
      client = undefined;
    },
  };
}
