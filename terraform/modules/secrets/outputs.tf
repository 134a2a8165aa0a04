output "config_secret_id" {
  description = "Secret id of the configuration document."
  value       = google_secret_manager_secret.config.secret_id
}

output "config_version" {
  description = "The pinned version number the functions mount."
  value       = data.google_secret_manager_secret_version.config.version
}
