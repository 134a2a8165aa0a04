# The external HTTP(S) load balancer's request logs (Cloud CDN included) go to the cdn_logs topic,
# whose push subscription (with its dead-letter topic, modules/pubsub) feeds the cdnlogs function.

variable "cdn_log_filter" {
  type        = string
  default     = "resource.type=\"http_load_balancer\" AND httpRequest.requestMethod=(\"GET\" OR \"HEAD\")"
  description = "Which load-balancer log entries the sink sends to cdn_logs; narrow it (e.g. by url_map_name) to the podcast CDN."
}

resource "google_logging_project_sink" "cdn_logs" {
  project                = var.project_id
  name                   = "earshot-cdn-logs"
  description            = "Load-balancer request logs into Earshot's episode-download intake (the cdnlogs function)"
  destination            = "pubsub.googleapis.com/${module.pubsub.topic_ids["cdn_logs"]}"
  filter                 = var.cdn_log_filter
  unique_writer_identity = true
  depends_on             = [google_project_service.apis]
}

# The sink writes as its own identity: it may publish to that one topic, nothing else.
resource "google_pubsub_topic_iam_member" "cdn_logs_sink" {
  project = var.project_id
  topic   = module.pubsub.topic_ids["cdn_logs"]
  role    = "roles/pubsub.publisher"
  member  = google_logging_project_sink.cdn_logs.writer_identity
}
