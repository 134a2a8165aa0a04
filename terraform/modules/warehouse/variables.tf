variable "project_id" {
  type        = string
  description = "Project of the dataset."
}

variable "dataset_id" {
  type        = string
  description = "BigQuery dataset id."
}

variable "location" {
  type        = string
  description = "BigQuery location of the dataset."
}

variable "artifacts_dir" {
  type        = string
  description = "dist/bigquery as `npm run build` writes it: tables.json, views.json, the schemas and the view SQL."
}

variable "discrepancy_threshold_pct" {
  type        = number
  description = "Fills {{discrepancy_threshold_pct}} in the view SQL."
}

variable "cuped_pre_period_days" {
  type        = number
  description = "Fills {{cuped_pre_period_days}} in the view SQL."
}

variable "writers" {
  type        = map(string)
  description = "IAM members (serviceAccount:...) that write rows into every table, by function name."
}

variable "readers" {
  type        = map(string)
  default     = {}
  description = "IAM members (serviceAccount:...) that query the dataset's tables and views (the reports function), by function name."
}

variable "dead_letter_writer" {
  type        = string
  description = "IAM member that writes dead-lettered messages into dead_letters (the Pub/Sub service agent)."
}
