terraform {
  required_version = ">= 1.6"
  # State lives in a GCS bucket given at `terraform init -backend-config="bucket=..."` (docs/deploy.md).
  backend "gcs" {
    prefix = "earshot"
  }
  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.50 is the release test/unit/terraform checks the arguments against; it has Pub/Sub
      # message transforms, which turn dead letters into `dead_letters` rows.
      version = "~> 6.50"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
