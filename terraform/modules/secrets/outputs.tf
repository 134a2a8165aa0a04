output "secret_ids" {
  description = "Secret id of each secret, by concern."
  value       = { for name, secret in google_secret_manager_secret.secret : name => secret.secret_id }
}

output "versions" {
  description = "The pinned version number the functions mount, by concern."
  value       = { for name, version in data.google_secret_manager_secret_version.pinned : name => version.version }
}
