/**
 * Pub/Sub single message transform on the dead-letter subscriptions: turns a message a push
 * subscription gave up on into a `dead_letters` row (DeadLetterRow in shared/contracts/schemas/rows.ts), which
 * the BigQuery subscription writes. The source is the subscription, named after its function, and
 * the message id is the dead-letter topic's own (Pub/Sub does not forward the original id).
 */
function toDeadLetterRow(message, metadata) {
  var maxPayload = 64 * 1024;
  var attributes = message.attributes || {};
  var source = attributes.CloudPubSubDeadLetterSourceSubscription || 'unknown';
  var attempts = attributes.CloudPubSubDeadLetterSourceDeliveryCount || 'the maximum number of';
  var data = message.data || '';
  // Batches travel gzipped (content_encoding, shared/platform/messaging/message-encoding.ts), which a
  // transform cannot inflate: the row says so, and the replay subscription keeps the message.
  var encoding = attributes.content_encoding;
  var compressed = encoding && encoding !== 'identity';
  var row = {
    insert_id: source + '/' + metadata.message_id,
    failed_at: metadata.publish_time,
    source: source,
    message_id: metadata.message_id,
    reason: 'delivery failed ' + attempts + ' times; dead-lettered by Pub/Sub' + (compressed ? '; payload ' + encoding + '-compressed, replay it from the dead-letter replay subscription' : ''),
    payload: compressed ? '' : data.length > maxPayload ? data.substring(0, maxPayload) : data,
  };
  return { data: JSON.stringify(row), attributes: {} };
}
