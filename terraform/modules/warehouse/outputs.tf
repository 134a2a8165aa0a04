output "dataset_id" {
  description = "The warehouse dataset id, once its tables exist and the writers may write them."
  value       = google_bigquery_dataset.warehouse.dataset_id
  depends_on  = [google_bigquery_table_iam_member.writer]
}

output "dead_letters_table" {
  description = "The dead_letters table as project.dataset.table, once the dead-letter writer may write it."
  value       = "${var.project_id}.${google_bigquery_dataset.warehouse.dataset_id}.${google_bigquery_table.table["dead_letters"].table_id}"
  depends_on  = [google_bigquery_table_iam_member.dead_letter_writer]
}
