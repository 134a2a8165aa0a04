output "database_id" {
  description = "Firestore database id, once the functions may use it."
  value       = google_firestore_database.state.name
  depends_on  = [google_firestore_field.ttl, google_project_iam_member.user]
}
