variable "project_id" {
  type        = string
  description = "Project the metrics and alerts live in."
}

variable "functions" {
  type        = list(string)
  description = "Every function (its Cloud Run service has its name)."
}

variable "intake_functions" {
  type        = list(string)
  description = "Functions whose latency a sender waits on."
}

variable "replay_subscriptions" {
  type        = map(string)
  description = "Dead-letter replay subscription name by topic; a message waiting there is a dead letter not yet dealt with."
}

variable "alert_email" {
  type        = string
  default     = null
  description = "Email notification channel; none when null."
}

variable "error_rate_threshold" {
  type        = number
  description = "Share of a function's requests answered 5xx that opens an incident."
}

variable "intake_latency_threshold_ms" {
  type        = number
  description = "95th percentile intake latency (ms) that opens an incident."
}
