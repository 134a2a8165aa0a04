variable "project_id" {
  type        = string
  description = "Project of the topics."
}

variable "topics" {
  type        = list(string)
  description = "Topics of the pipeline (shared/contracts/ports.ts Topic); each gets a dead-letter topic."
}

variable "publishers" {
  type        = map(object({ topic = string, member = string }))
  description = "Publish grants: a topic and an IAM member (serviceAccount:...), keyed by names known at plan time."
}

variable "pubsub_agent" {
  type        = string
  description = "The project's Pub/Sub service agent as an IAM member; it forwards dead letters and writes them to BigQuery."
}

variable "dead_letters_table" {
  type        = string
  description = "The dead_letters table as project.dataset.table, where dead-lettered messages land."
}

variable "dead_letter_retention" {
  type        = string
  default     = "604800s"
  description = "How long dead letters wait in their replay subscription (7 days, Pub/Sub's maximum)."
}
