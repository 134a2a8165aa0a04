# The functions' state (listener windows, exposures, webhook ids, attribution claims) in its own
# Firestore database. Documents carry their expiry in `expires_at` (shared/adapters/gcp/
# firestore-state.ts); a TTL policy per collection deletes them, with the field's single-field
# indexes disabled, since nothing queries it and indexing a timestamp that grows is a hotspot.

resource "google_firestore_database" "state" {
  project                 = var.project_id
  name                    = var.database_id
  location_id             = var.location
  type                    = "FIRESTORE_NATIVE"
  concurrency_mode        = "PESSIMISTIC"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  deletion_policy         = "ABANDON"
}

resource "google_firestore_field" "ttl" {
  for_each   = toset(var.collections)
  project    = var.project_id
  database   = google_firestore_database.state.name
  collection = each.key
  field      = "expires_at"
  ttl_config {}
  index_config {}
}

# The value itself (`d`) is never queried either: without its single-field indexes (which a map's
# fields inherit), a household document's many numbers cost no index entries, so it stays far
# from Firestore's 40,000 entries a document and its writes stay cheap.
resource "google_firestore_field" "value" {
  for_each   = toset(var.collections)
  project    = var.project_id
  database   = google_firestore_database.state.name
  collection = each.key
  field      = "d"
  index_config {}
}

# Firestore grants are project-wide; the condition narrows each to this database.
resource "google_project_iam_member" "user" {
  for_each = var.users
  project  = var.project_id
  role     = "roles/datastore.user"
  member   = each.value
  condition {
    title       = "earshot-state-only"
    description = "Only the ${var.database_id} Firestore database."
    expression  = "resource.name == \"projects/${var.project_id}/databases/${var.database_id}\" || resource.name.startsWith(\"projects/${var.project_id}/databases/${var.database_id}/\")"
  }
}
