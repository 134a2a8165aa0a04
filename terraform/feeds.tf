# The episode catalog stays current without anyone posting feeds: Cloud Scheduler asks the beacon
# function to read `platforms[].feeds` again (conditional GETs, so an unchanged feed costs a 304).

variable "feed_refresh_schedule" {
  type        = string
  default     = "17 * * * *"
  description = "When the configured feeds are read again (cron, UTC); the function itself refuses refreshes closer than 10 minutes."
}

resource "google_cloud_scheduler_job" "feed_refresh" {
  project          = var.project_id
  region           = var.region
  name             = "earshot-feed-refresh"
  description      = "Reads platforms[].feeds again into the episode catalog (POST <beacon>/feeds/refresh)"
  schedule         = var.feed_refresh_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "320s"

  retry_config {
    retry_count          = 2
    min_backoff_duration = "30s"
  }

  http_target {
    http_method = "POST"
    uri         = "${module.functions.urls["beacon"]}/feeds/refresh"
    # The route takes no key (it can only re-read configured feeds, at most once per interval);
    # the token says who asks, for the request log.
    oidc_token {
      service_account_email = module.identities.push_email
      audience              = module.functions.urls["beacon"]
    }
  }

  depends_on = [google_project_service.apis]
}
