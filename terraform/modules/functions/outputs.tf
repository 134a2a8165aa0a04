output "urls" {
  description = "Base URL of each function, by name."
  value       = { for name, fn in google_cloudfunctions2_function.function : name => fn.url }
}
