output "function_emails" {
  description = "Service account email of each function, by function name."
  value       = { for name, sa in google_service_account.function : name => sa.email }
}

output "push_email" {
  description = "Email of the push subscriptions' OIDC identity."
  value       = google_service_account.push.email
}

output "build_email" {
  description = "Email of the functions' build identity."
  value       = google_service_account.build.email
}
