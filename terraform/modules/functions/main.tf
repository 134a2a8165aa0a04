# The seven Cloud Functions (gen2) from the archives `npm run build` wrote, who may invoke them,
# and one push subscription per Pub/Sub function: ours rather than an Eventarc trigger's, because
# the implicit Eventarc subscription cannot take a dead-letter topic.

locals {
  manifest     = jsondecode(file("${var.dist_dir}/functions.json"))
  http         = { for name, fn in var.functions : name => fn if fn.trigger_topic == null }
  pushed       = { for name, fn in var.functions : name => fn if fn.trigger_topic != null }
  push_account = "serviceAccount:${var.push_service_account}"
}

resource "google_storage_bucket" "sources" {
  project                     = var.project_id
  name                        = "${var.project_id}-earshot-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = { app = "earshot" }
}

# Archive names carry a content hash, so new code is a new object and a new deployment.
resource "google_storage_bucket_object" "source" {
  for_each = var.functions
  bucket   = google_storage_bucket.sources.name
  name     = local.manifest[each.key].archive
  source   = "${var.dist_dir}/${local.manifest[each.key].archive}"
}

resource "google_artifact_registry_repository" "images" {
  project       = var.project_id
  location      = var.region
  repository_id = "earshot-functions"
  format        = "DOCKER"
  description   = "Images Cloud Build makes of the Earshot functions."
  labels        = { app = "earshot" }
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 5
    }
  }
  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "2592000s"
    }
  }
}

# The build identity reads the sources, pushes the images and writes its build logs.
resource "google_storage_bucket_iam_member" "build_reads_sources" {
  bucket = google_storage_bucket.sources.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${var.build_service_account}"
}

resource "google_artifact_registry_repository_iam_member" "build_writes_images" {
  project    = var.project_id
  location   = var.region
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${var.build_service_account}"
}

resource "google_project_iam_member" "build_writes_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${var.build_service_account}"
}

resource "google_cloudfunctions2_function" "function" {
  for_each    = var.functions
  project     = var.project_id
  name        = each.key
  location    = var.region
  description = "Earshot ${each.key} (functions/${each.key})"
  labels      = { app = "earshot" }

  build_config {
    runtime           = "nodejs22"
    entry_point       = each.value.entry_point
    service_account   = "projects/${var.project_id}/serviceAccounts/${var.build_service_account}"
    docker_repository = google_artifact_registry_repository.images.id
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source[each.key].name
      }
    }
  }

  service_config {
    service_account_email            = var.service_accounts[each.key]
    available_memory                 = each.value.memory
    available_cpu                    = each.value.cpu
    max_instance_request_concurrency = each.value.concurrency
    min_instance_count               = each.value.min_instances
    max_instance_count               = ceil(each.value.max_instances * var.max_instances_scale)
    timeout_seconds                  = each.value.timeout_seconds
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables            = var.environment
    # Only the function's own secrets, each a pinned version: a new one rolls out as a new
    # revision, never under a running instance.
    dynamic "secret_environment_variables" {
      for_each = toset(each.value.secrets)
      content {
        key        = var.secrets[secret_environment_variables.value].env_var
        project_id = var.project_id
        secret     = var.secrets[secret_environment_variables.value].secret
        version    = var.secrets[secret_environment_variables.value].version
      }
    }
  }

  # The startup probe. Cloud Functions cannot declare one (its service_config has no probe; the
  # Cloud Run service it manages may not be edited), so the gate is Cloud Run's default TCP startup
  # probe, which every revision gets: functions-framework listens only once the function's module
  # has loaded, and the module validates the configuration first and exits 1 if it is bad
  # (shared/composition/startup/). Such a revision never becomes Ready, keeps no traffic, and the deployment,
  # so this apply, fails with the container's one-line reason; the postcondition also fails the
  # apply on any function left in another state than ACTIVE (docs/deploy.md).
  lifecycle {
    postcondition {
      condition     = self.state == "ACTIVE"
      error_message = "The function is not ACTIVE: its new revision failed its startup probe (see its logs: \"cannot start: ...\"), and traffic stays on the previous revision."
    }
  }

  depends_on = [
    google_storage_bucket_iam_member.build_reads_sources,
    google_artifact_registry_repository_iam_member.build_writes_images,
    google_project_iam_member.build_writes_logs,
  ]
}

# HTTP functions take beacons, callbacks and pixels from anyone; the handlers check keys and
# signatures themselves (README.md).
resource "google_cloud_run_v2_service_iam_member" "public" {
  for_each = local.http
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.function[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# Pub/Sub functions take requests only from their push subscription's identity.
resource "google_cloud_run_v2_service_iam_member" "pusher" {
  for_each = local.pushed
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.function[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = local.push_account
}

# Pub/Sub's service agent mints the push identity's OIDC tokens.
resource "google_service_account_iam_member" "pubsub_signs_push_tokens" {
  service_account_id = "projects/${var.project_id}/serviceAccounts/${var.push_service_account}"
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = var.pubsub_agent
}

# Named after its function, so dead_letters.source names the function on both dead-letter paths.
# The endpoint path names the topic, as functions-framework expects of a raw Pub/Sub push.
resource "google_pubsub_subscription" "push" {
  for_each                   = local.pushed
  project                    = var.project_id
  name                       = each.key
  topic                      = var.topic_ids[each.value.trigger_topic]
  ack_deadline_seconds       = 600
  message_retention_duration = "604800s"
  expiration_policy {
    ttl = ""
  }
  # The Cloud Run service's own URL (as Eventarc uses): the token's audience must be a URL the
  # service answers to, and its run.app address is the one it always accepts.
  push_config {
    push_endpoint = "${google_cloudfunctions2_function.function[each.key].service_config[0].uri}/projects/${var.project_id}/topics/${each.value.trigger_topic}"
    oidc_token {
      service_account_email = var.push_service_account
      audience              = google_cloudfunctions2_function.function[each.key].service_config[0].uri
    }
  }
  dead_letter_policy {
    dead_letter_topic     = var.dead_letter_topic_ids[each.value.trigger_topic]
    max_delivery_attempts = var.max_delivery_attempts
  }
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
  depends_on = [google_cloud_run_v2_service_iam_member.pusher, google_service_account_iam_member.pubsub_signs_push_tokens]
}

# Dead-lettering needs the service agent to acknowledge the message on the source subscription.
resource "google_pubsub_subscription_iam_member" "dead_letter_ack" {
  for_each     = google_pubsub_subscription.push
  project      = var.project_id
  subscription = each.value.name
  role         = "roles/pubsub.subscriber"
  member       = var.pubsub_agent
}
