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

output "secrets" {
  description = "Secret Manager secret of each configuration concern (docs/deploy.md), and the version the functions run with."
  value       = { for name, id in module.secrets.secret_ids : name => { secret = id, version = module.secrets.versions[name] } }
}

output "dead_letter_topics" {
  description = "Dead-letter topic of each topic; their messages land in the dead_letters table and wait in a replay subscription."
  value       = module.pubsub.dead_letter_topic_names
}
