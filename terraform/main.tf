# Earshot on Google Cloud: the walking skeleton's wiring (beacon -> beacons -> count -> facts ->
# warehouse -> BigQuery). Run `npm run build` first: it writes the function archives and the
# table schemas this file reads from ../dist.

terraform {
  required_version = ">= 1.6"
  backend "gcs" {}
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0"
    }
  }
}

variable "project_id" {
  type        = string
  description = "Google Cloud project to deploy into."
}

variable "region" {
  type        = string
  default     = "us-central1"
  description = "Region of the functions, topics' push endpoints and the source bucket."
}

variable "dataset_location" {
  type        = string
  default     = "US"
  description = "BigQuery dataset location."
}

provider "google" {
  project = var.project_id
  region  = var.region
}

locals {
  dist      = "${path.module}/../dist"
  manifest  = jsondecode(file("${local.dist}/functions.json"))
  http_functions = toset(["beacon"])
  # Each Pub/Sub function and the topic its push subscription reads (shared/function-catalog.ts).
  pubsub_functions = { count = "beacons", warehouse = "facts" }
  topics           = toset(["beacons", "facts"])
  tables = {
    beacon_events = { partition = "ts", cluster = ["platform", "show_id", "episode_id"] }
    dead_letters  = { partition = "failed_at", cluster = ["source"] }
  }
  apis = toset([
    "cloudfunctions.googleapis.com", "run.googleapis.com", "cloudbuild.googleapis.com", "artifactregistry.googleapis.com",
    "pubsub.googleapis.com", "firestore.googleapis.com", "bigquery.googleapis.com", "secretmanager.googleapis.com",
  ])
}

data "google_project" "this" {}

resource "google_project_service" "apis" {
  for_each           = local.apis
  service            = each.value
  disable_on_destroy = false
}

# --- Pub/Sub: one topic per stage, each with a dead-letter topic ----------------------------------

resource "google_pubsub_topic" "topics" {
  for_each   = local.topics
  name       = each.value
  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "dead_letter" {
  for_each   = local.topics
  name       = "${each.value}-dead-letter"
  depends_on = [google_project_service.apis]
}

# --- State and warehouse -------------------------------------------------------------------------

resource "google_firestore_database" "state" {
  name        = "(default)"
  location_id = var.region
  type        = "FIRESTORE_NATIVE"
  depends_on  = [google_project_service.apis]
}

resource "google_bigquery_dataset" "earshot" {
  dataset_id  = "earshot"
  location    = var.dataset_location
  description = "Earshot facts and aggregates (see docs/architecture.md)."
  depends_on  = [google_project_service.apis]
}

resource "google_bigquery_table" "tables" {
  for_each                 = local.tables
  dataset_id               = google_bigquery_dataset.earshot.dataset_id
  table_id                 = each.key
  schema                   = file("${local.dist}/bigquery/${each.key}.json")
  require_partition_filter = each.key == "beacon_events"
  clustering               = each.value.cluster
  deletion_protection      = true
  time_partitioning {
    type  = "DAY"
    field = each.value.partition
  }
}

# --- Configuration: the whole config document is one secret --------------------------------------

resource "google_secret_manager_secret" "config" {
  secret_id = "earshot-config"
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

# --- Functions: one service account each, least privilege ----------------------------------------

resource "google_service_account" "fn" {
  for_each     = toset(concat(tolist(local.http_functions), keys(local.pubsub_functions)))
  account_id   = "earshot-${each.key}"
  display_name = "Earshot ${each.key} function"
}

resource "google_secret_manager_secret_iam_member" "config_reader" {
  for_each  = google_service_account.fn
  secret_id = google_secret_manager_secret.config.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${each.value.email}"
}

resource "google_pubsub_topic_iam_member" "beacon_publishes_beacons" {
  topic  = google_pubsub_topic.topics["beacons"].name
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.fn["beacon"].email}"
}

resource "google_pubsub_topic_iam_member" "count_publishes_facts" {
  topic  = google_pubsub_topic.topics["facts"].name
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.fn["count"].email}"
}

resource "google_bigquery_dataset_iam_member" "warehouse_writes" {
  dataset_id = google_bigquery_dataset.earshot.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${google_service_account.fn["warehouse"].email}"
}

resource "google_project_iam_member" "count_state" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.fn["count"].email}"
}

resource "google_storage_bucket" "sources" {
  name                        = "${var.project_id}-earshot-sources"
  location                    = var.region
  uniform_bucket_level_access = true
}

resource "google_storage_bucket_object" "source" {
  for_each = local.manifest
  name     = each.value.archive
  bucket   = google_storage_bucket.sources.name
  source   = "${local.dist}/${each.value.archive}"
}

resource "google_cloudfunctions2_function" "fn" {
  for_each = local.manifest
  name     = each.key
  location = var.region

  build_config {
    runtime     = "nodejs22"
    entry_point = each.value.entry_point
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source[each.key].name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.fn[each.key].email
    max_instance_count               = contains(local.http_functions, each.key) ? 100 : 20
    min_instance_count               = contains(local.http_functions, each.key) ? 1 : 0
    max_instance_request_concurrency = contains(local.http_functions, each.key) ? 80 : 4
    available_cpu                    = "1"
    available_memory                 = "512Mi"
    timeout_seconds                  = contains(local.http_functions, each.key) ? 60 : 300
    environment_variables = {
      EARSHOT_DATASET            = google_bigquery_dataset.earshot.dataset_id
      EARSHOT_FIRESTORE_DATABASE = google_firestore_database.state.name
    }
    secret_environment_variables {
      key        = "EARSHOT_CONFIG"
      project_id = var.project_id
      secret     = google_secret_manager_secret.config.secret_id
      version    = "latest"
    }
  }
}

# HTTP functions take unauthenticated beacons; the handlers check platform keys themselves.
resource "google_cloud_run_service_iam_member" "public" {
  for_each = local.http_functions
  location = var.region
  service  = google_cloudfunctions2_function.fn[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# --- Push subscriptions: our own, so each can have a dead-letter topic ----------------------------

resource "google_service_account" "pusher" {
  account_id   = "earshot-pubsub-push"
  display_name = "Earshot Pub/Sub push identity"
}

resource "google_cloud_run_service_iam_member" "pusher_invokes" {
  for_each = local.pubsub_functions
  location = var.region
  service  = google_cloudfunctions2_function.fn[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.pusher.email}"
}

resource "google_pubsub_subscription" "push" {
  for_each                   = local.pubsub_functions
  name                       = "${each.key}-push"
  topic                      = google_pubsub_topic.topics[each.value].id
  ack_deadline_seconds       = 300
  message_retention_duration = "604800s"
  expiration_policy {
    ttl = ""
  }
  push_config {
    push_endpoint = google_cloudfunctions2_function.fn[each.key].service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.pusher.email
    }
  }
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.value].id
    max_delivery_attempts = 5
  }
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
}

# Pub/Sub's service agent must publish to dead-letter topics and ack on the source subscriptions.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = google_pubsub_topic.dead_letter
  topic    = each.value.name
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each     = google_pubsub_subscription.push
  subscription = each.value.name
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

output "function_urls" {
  description = "Base URL of each function."
  value       = { for name, fn in google_cloudfunctions2_function.fn : name => fn.service_config[0].uri }
}

output "dataset" {
  description = "BigQuery dataset of the warehouse."
  value       = google_bigquery_dataset.earshot.dataset_id
}
