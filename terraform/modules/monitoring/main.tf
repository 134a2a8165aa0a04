# Log-based metrics for what only the functions' logs know, and alerts on the signals that mean
# data is waiting or being refused: dead letters, 5xx answers and slow intake.

locals {
  services       = join(", ", [for name in var.functions : "\"${name}\""])
  intake         = join(", ", [for name in var.intake_functions : "\"${name}\""])
  replay         = join(", ", [for name in values(var.replay_subscriptions) : "\"${name}\""])
  notify         = var.alert_email == null ? [] : [google_monitoring_notification_channel.email[0].id]
  function_logs  = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=(${join(" OR ", var.functions)})"
  service_filter = "resource.type = \"cloud_run_revision\" AND resource.label.service_name = one_of(${local.services})"
}

resource "google_monitoring_notification_channel" "email" {
  count        = var.alert_email == null ? 0 : 1
  project      = var.project_id
  display_name = "Earshot alerts"
  type         = "email"
  labels       = { email_address = var.alert_email }
}

# Poison messages (not JSON, not the schema) and rows the warehouse refused: the functions write
# them to dead_letters themselves and log it (shared/platform/messaging/pubsub-handler.ts, functions/warehouse).
resource "google_logging_metric" "dead_lettered" {
  project     = var.project_id
  name        = "earshot/dead_lettered"
  description = "Messages and rows an Earshot function dead-lettered itself, by function."
  filter      = "${local.function_logs} AND jsonPayload.message=(\"dead-lettered message\" OR \"rows dead-lettered\")"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    labels {
      key         = "function"
      value_type  = "STRING"
      description = "The function that dead-lettered."
    }
  }
  label_extractors = { function = "EXTRACT(resource.labels.service_name)" }
}

# Refused vendor callbacks by vendor: after a secret roll, a rise here means a vendor signs with a
# secret no longer configured (docs/deploy.md).
resource "google_logging_metric" "callbacks_refused" {
  project     = var.project_id
  name        = "earshot/callbacks_refused"
  description = "Verification callbacks refused (bad or stale signature), by vendor and reason."
  filter      = "${local.function_logs} AND jsonPayload.message=\"verification callback refused\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    labels {
      key         = "vendor"
      value_type  = "STRING"
      description = "Configured vendor id."
    }
    labels {
      key         = "reason"
      value_type  = "STRING"
      description = "Why the callback was refused."
    }
  }
  label_extractors = {
    vendor = "EXTRACT(jsonPayload.vendor)"
    reason = "EXTRACT(jsonPayload.reason)"
  }
}

resource "google_monitoring_alert_policy" "dead_letters" {
  project      = var.project_id
  display_name = "Earshot: dead letters waiting"
  combiner     = "OR"
  documentation {
    content   = "Messages reached a dead-letter topic (they are in the dead_letters table and in the replay subscriptions), or a function dead-lettered poison messages. See docs/deploy.md, Dead letters."
    mime_type = "text/markdown"
  }
  conditions {
    display_name = "Dead-letter replay backlog"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND resource.label.subscription_id = one_of(${local.replay}) AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }
  conditions {
    display_name = "Messages dead-lettered by a function"
    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.dead_lettered.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }
  notification_channels = local.notify
}

resource "google_monitoring_alert_policy" "server_errors" {
  project      = var.project_id
  display_name = "Earshot: 5xx rate"
  combiner     = "OR"
  documentation {
    content   = "A function answers more than ${var.error_rate_threshold * 100}% of its requests with 5xx. Pub/Sub functions are retried and dead-lettered after the limit; HTTP senders should retry."
    mime_type = "text/markdown"
  }
  conditions {
    display_name = "Share of requests answered 5xx"
    condition_threshold {
      filter             = "${local.service_filter} AND metric.type = \"run.googleapis.com/request_count\" AND metric.label.response_code_class = \"5xx\""
      denominator_filter = "${local.service_filter} AND metric.type = \"run.googleapis.com/request_count\""
      comparison         = "COMPARISON_GT"
      threshold_value    = var.error_rate_threshold
      duration           = "300s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
      denominator_aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
    }
  }
  notification_channels = local.notify
}

resource "google_monitoring_alert_policy" "intake_latency" {
  project      = var.project_id
  display_name = "Earshot: slow intake"
  combiner     = "OR"
  documentation {
    content   = "The 95th percentile latency of an intake function (${join(", ", var.intake_functions)}) is over ${var.intake_latency_threshold_ms} ms: senders wait and may time out. Check Pub/Sub publish latency and the instance count."
    mime_type = "text/markdown"
  }
  conditions {
    display_name = "Intake p95 latency"
    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND resource.label.service_name = one_of(${local.intake}) AND metric.type = \"run.googleapis.com/request_latencies\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.intake_latency_threshold_ms
      duration        = "300s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_PERCENTILE_95"
        cross_series_reducer = "REDUCE_MAX"
        group_by_fields      = ["resource.label.service_name"]
      }
    }
  }
  notification_channels = local.notify
}
