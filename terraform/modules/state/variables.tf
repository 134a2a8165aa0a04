variable "project_id" {
  type        = string
  description = "Project of the database."
}

variable "database_id" {
  type        = string
  description = "Firestore database id."
}

variable "location" {
  type        = string
  description = "Firestore location (region or multi-region)."
}

variable "collections" {
  type        = list(string)
  description = "Collections the functions keep state in; each gets a TTL policy on expires_at."
}

variable "users" {
  type        = map(string)
  description = "IAM members (serviceAccount:...) that read and write the database, by function name."
}
