# Topics between the functions, their dead-letter topics, and where dead letters go: a BigQuery
# subscription writes each as a `dead_letters` row (transformed by dead-letter-row.js), and a pull
# subscription keeps them for 7 days to replay after a fix (docs/deploy.md).

resource "google_pubsub_topic" "topic" {
  for_each                   = toset(var.topics)
  project                    = var.project_id
  name                       = each.key
  message_retention_duration = "86400s"
  labels                     = { app = "earshot" }
}

resource "google_pubsub_topic" "dead_letter" {
  for_each = toset(var.topics)
  project  = var.project_id
  name     = "${each.key}-dead-letter"
  labels   = { app = "earshot" }
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = var.publishers
  project  = var.project_id
  topic    = google_pubsub_topic.topic[each.value.topic].name
  role     = "roles/pubsub.publisher"
  member   = each.value.member
}

# Pub/Sub's service agent forwards undeliverable messages to the dead-letter topics.
resource "google_pubsub_topic_iam_member" "dead_letter_forwarder" {
  for_each = google_pubsub_topic.dead_letter
  project  = var.project_id
  topic    = each.value.name
  role     = "roles/pubsub.publisher"
  member   = var.pubsub_agent
}

resource "google_pubsub_subscription" "dead_letter_rows" {
  for_each = google_pubsub_topic.dead_letter
  project  = var.project_id
  name     = "${each.value.name}-rows"
  topic    = each.value.id
  expiration_policy {
    ttl = ""
  }
  message_transforms {
    javascript_udf {
      function_name = "toDeadLetterRow"
      code          = file("${path.module}/dead-letter-row.js")
    }
  }
  bigquery_config {
    table            = var.dead_letters_table
    use_table_schema = true
  }
}

resource "google_pubsub_subscription" "dead_letter_replay" {
  for_each                   = google_pubsub_topic.dead_letter
  project                    = var.project_id
  name                       = "${each.value.name}-replay"
  topic                      = each.value.id
  ack_deadline_seconds       = 60
  message_retention_duration = var.dead_letter_retention
  retain_acked_messages      = false
  expiration_policy {
    ttl = ""
  }
}
