output "function_urls" {
  description = "Base URL of each function, by name (HTTP functions take requests at <url>/<route>, e.g. <beacon>/events)."
  value       = module.functions.urls
}

output "dataset" {
  description = "BigQuery dataset of the warehouse tables and views, as project.dataset."
  value       = "${var.project_id}.${module.warehouse.dataset_id}"
}

output "firestore_database" {
  description = "Firestore database holding the functions' state."
  value       = module.state.database_id
}

output "config_secret" {
  description = "Secret Manager secret holding the configuration document, and the version the functions run with."
  value       = { secret = module.secrets.config_secret_id, version = module.secrets.config_version }
}

output "dead_letter_topics" {
  description = "Dead-letter topic of each topic; their messages land in the dead_letters table and wait in a replay subscription."
  value       = module.pubsub.dead_letter_topic_names
}
