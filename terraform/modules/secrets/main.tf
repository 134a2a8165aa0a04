# The configuration document (DESIGN.md section 4: platform keys, vendor whsec_ secrets, advertiser
# keys, study salts, the privacy master key) is one secret. Its versions are added outside
# Terraform (docs/deploy.md), so no secret ever enters the Terraform state; the functions mount
# one pinned version, and a new pin rolls out as a new revision.

resource "google_secret_manager_secret" "config" {
  project   = var.project_id
  secret_id = "earshot-config"
  labels    = { app = "earshot" }
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "reader" {
  for_each  = var.readers
  project   = var.project_id
  secret_id = google_secret_manager_secret.config.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value
}

# Resolves the version number without reading the payload, so the state holds no secret.
data "google_secret_manager_secret_version" "config" {
  project           = var.project_id
  secret            = google_secret_manager_secret.config.secret_id
  version           = var.config_version == null ? null : tostring(var.config_version)
  fetch_secret_data = false
}
