import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterRow } from '../../../shared/contracts/schemas/rows.ts';
import { validatorFor } from '../../../shared/contracts/schemas/validator.ts';
import { readFunctionFacts, readTopics, type FunctionFacts } from './code-facts.ts';
import { block, calledModule, loadTerraform, terraformDir, type Body, type TerraformModule } from './terraform-config.ts';

let facts: FunctionFacts[];
let root: TerraformModule;
let pubsub: TerraformModule;
let functions: TerraformModule;

beforeAll(async () => {
  facts = await readFunctionFacts();
  const modules = await loadTerraform();
  root = modules.get('') as TerraformModule;
  pubsub = calledModule(modules, root.modules.pubsub as Body);
  functions = calledModule(modules, root.modules.functions as Body);
});

describe('Terraform topics and subscriptions against the code', () => {
  it('declares the topics of the Topic type, and every topic the code publishes to', () => {
    const topics = [...(root.locals.topics as string[])].sort();
    expect(topics).toEqual(readTopics());
    // cdn_logs is published by the Cloud Logging sink (terraform/cdn-logs.tf), log_objects by the logs bucket (log-objects.tf), not by code.
    expect(new Set([...facts.flatMap((f) => f.publishes), 'cdn_logs', 'log_objects'])).toEqual(new Set(topics));
    expect(root.resources.google_storage_notification?.log_objects?.topic).toBe('${module.pubsub.topic_ids["log_objects"]}');
    expect(root.resources.google_logging_project_sink?.cdn_logs?.destination).toBe('pubsub.googleapis.com/${module.pubsub.topic_ids["cdn_logs"]}');
    expect(Object.values(facts).map((f) => f.triggerTopic).filter(Boolean).every((t) => topics.includes(t as string))).toBe(true);
    expect(pubsub.resources.google_pubsub_topic?.topic?.for_each).toBe('${toset(var.topics)}');
  });

  it('gives every topic a dead-letter topic the Pub/Sub service agent may publish to', () => {
    const deadLetter = pubsub.resources.google_pubsub_topic?.dead_letter as Body;
    expect(deadLetter.for_each).toBe('${toset(var.topics)}');
    const forwarder = pubsub.resources.google_pubsub_topic_iam_member?.dead_letter_forwarder as Body;
    expect(forwarder).toMatchObject({ for_each: '${google_pubsub_topic.dead_letter}', role: 'roles/pubsub.publisher', member: '${var.pubsub_agent}' });
    expect(root.locals.pubsub_agent).toMatch(/^serviceAccount:service-\$\{data\.google_project\.this\.number\}@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/);
  });

  it('pushes each Pub/Sub function from its own subscription with OIDC, a dead-letter topic, a retry policy and no expiry', () => {
    const push = functions.resources.google_pubsub_subscription?.push as Body;
    expect(push.for_each).toBe('${local.pushed}');
    expect(functions.locals.pushed).toBe('${{ for name, fn in var.functions : name => fn if fn.trigger_topic != null }}');
    expect(push.topic).toBe('${var.topic_ids[each.value.trigger_topic]}');
    const config = block(push, 'push_config');
    const serviceUri = '${google_cloudfunctions2_function.function[each.key].service_config[0].uri}';
    expect(config.push_endpoint).toBe(`${serviceUri}/projects/\${var.project_id}/topics/\${each.value.trigger_topic}`);
    expect(block(config, 'oidc_token')).toMatchObject({ service_account_email: '${var.push_service_account}', audience: serviceUri });
    expect(block(push, 'dead_letter_policy')).toMatchObject({
      dead_letter_topic: '${var.dead_letter_topic_ids[each.value.trigger_topic]}',
      max_delivery_attempts: '${var.max_delivery_attempts}',
    });
    expect(Object.keys(block(push, 'retry_policy')).sort()).toEqual(['maximum_backoff', 'minimum_backoff']);
    expect(block(push, 'expiration_policy').ttl).toBe('');
  });

  it('lets the service agent acknowledge on the push subscriptions and sign the push identity tokens', () => {
    const ack = functions.resources.google_pubsub_subscription_iam_member?.dead_letter_ack as Body;
    expect(ack).toMatchObject({ for_each: '${google_pubsub_subscription.push}', role: 'roles/pubsub.subscriber', member: '${var.pubsub_agent}' });
    const tokens = functions.resources.google_service_account_iam_member?.pubsub_signs_push_tokens as Body;
    expect(tokens).toMatchObject({ role: 'roles/iam.serviceAccountTokenCreator', member: '${var.pubsub_agent}' });
    expect(tokens.service_account_id).toContain('${var.push_service_account}');
  });

  it('writes dead letters into dead_letters through a BigQuery subscription and keeps them for replay', () => {
    const rows = pubsub.resources.google_pubsub_subscription?.dead_letter_rows as Body;
    expect(rows.for_each).toBe('${google_pubsub_topic.dead_letter}');
    expect(block(rows, 'bigquery_config')).toMatchObject({ table: '${var.dead_letters_table}', use_table_schema: true });
    expect(block(block(rows, 'message_transforms'), 'javascript_udf').function_name).toBe('toDeadLetterRow');
    const replay = pubsub.resources.google_pubsub_subscription?.dead_letter_replay as Body;
    expect(replay.for_each).toBe('${google_pubsub_topic.dead_letter}');
    expect(block(replay, 'expiration_policy').ttl).toBe('');
    expect((root.modules.pubsub as Body).dead_letters_table).toBe('${module.warehouse.dead_letters_table}');
  });
});

describe('dead-letter-row.js (the message transform)', () => {
  const code = readFileSync(`${terraformDir}modules/pubsub/dead-letter-row.js`, 'utf8');
  const transform = (message: unknown, metadata: unknown) =>
    runInNewContext(`${code}\ntoDeadLetterRow(message, metadata)`, { message, metadata }) as { data: string; attributes: Record<string, string> };
  const validate = validatorFor(DeadLetterRow);
  const metadata = { message_id: '1234567890', publish_time: '2026-11-20T10:00:05Z' };
  const forwarded = (data: string) => ({
    data,
    attributes: { CloudPubSubDeadLetterSourceSubscription: 'count', CloudPubSubDeadLetterSourceDeliveryCount: '5' },
  });

  it('makes a DeadLetterRow keyed by subscription and message id, so a redelivery writes the same key', () => {
    const out = transform(forwarded('{"records":[]}'), metadata);
    const row: unknown = JSON.parse(out.data);
    expect(validate(row)).toEqual({ ok: true, value: row });
    expect(row).toEqual({
      insert_id: 'count/1234567890',
      failed_at: '2026-11-20T10:00:05Z',
      source: 'count',
      message_id: '1234567890',
      reason: 'delivery failed 5 times; dead-lettered by Pub/Sub',
      payload: '{"records":[]}',
    });
    expect(out.attributes).toEqual({});
  });

  it('leaves out a gzipped payload it cannot inflate, naming the encoding and where the message is kept', () => {
    const message = { data: '\u001f\u008b\u0008binary', attributes: { ...forwarded('').attributes, content_encoding: 'gzip' } };
    const row = JSON.parse(transform(message, metadata).data) as Record<string, string>;
    expect(validate(row).ok).toBe(true);
    expect(row.payload).toBe('');
    expect(row.reason).toBe('delivery failed 5 times; dead-lettered by Pub/Sub; payload gzip-compressed, replay it from the dead-letter replay subscription');
  });

  it('truncates the payload to 64 KiB as the functions do, and copes with no attributes', () => {
    const row = JSON.parse(transform({ data: 'x'.repeat(70_000) }, metadata).data) as Record<string, string>;
    expect(row.payload).toHaveLength(64 * 1024);
    expect(row.source).toBe('unknown');
    expect(validate(row).ok).toBe(true);
  });
});
