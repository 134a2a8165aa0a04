# One secret per concern of the configuration (docs/deploy.md), so each function reads only the
# secrets its code uses: the settings document without secrets (`config`), platform keys, vendor
# whsec_ secrets, advertiser keys, study salts and the privacy master key. Versions are added
# outside Terraform (docs/deploy.md), so no secret ever enters the Terraform state; the functions
# mount one pinned version of each, and a new pin rolls out as a new revision.

resource "google_secret_manager_secret" "secret" {
  for_each  = var.secret_ids
  project   = var.project_id
  secret_id = each.value
  labels    = { app = "earshot", concern = each.key }
  replication {
    auto {}
  }
}

# Granted per secret and function: a function reads only the secrets it mounts.
resource "google_secret_manager_secret_iam_member" "reader" {
  for_each  = var.readers
  project   = var.project_id
  secret_id = google_secret_manager_secret.secret[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value.member
}

# Resolves each version number without reading the payload, so the state holds no secret.
data "google_secret_manager_secret_version" "pinned" {
  for_each          = var.secret_ids
  project           = var.project_id
  secret            = google_secret_manager_secret.secret[each.key].secret_id
  version           = lookup(var.versions, each.key, null) == null ? null : tostring(var.versions[each.key])
  fetch_secret_data = false
}
