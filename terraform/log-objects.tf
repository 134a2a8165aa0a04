# A bucket for log files copied from elsewhere (CloudFront, Fastly, a web server), under
# <format>/<platform>/...; each new object is announced on log_objects, whose push subscription
# (with its dead-letter topic, modules/pubsub) feeds the logobjects function.

resource "google_storage_bucket" "logs" {
  project                     = var.project_id
  name                        = "${var.project_id}-earshot-logs"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  # Decoded files are kept a month for re-reads, then go.
  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }
  depends_on = [google_project_service.apis]
}

data "google_storage_project_service_account" "this" {
  project = var.project_id
}

resource "google_pubsub_topic_iam_member" "log_objects_notifier" {
  project = var.project_id
  topic   = module.pubsub.topic_ids["log_objects"]
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${data.google_storage_project_service_account.this.email_address}"
}

resource "google_storage_notification" "log_objects" {
  bucket         = google_storage_bucket.logs.name
  topic          = module.pubsub.topic_ids["log_objects"]
  payload_format = "JSON_API_V1"
  event_types    = ["OBJECT_FINALIZE"]
  depends_on     = [google_pubsub_topic_iam_member.log_objects_notifier]
}

# logobjects reads the files, and nothing else in the bucket's project.
resource "google_storage_bucket_iam_member" "log_objects_reader" {
  bucket = google_storage_bucket.logs.name
  role   = "roles/storage.objectViewer"
  member = local.members["logobjects"]
}
