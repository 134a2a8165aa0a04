variable "project_id" {
  type        = string
  description = "Project of the secret."
}

variable "config_version" {
  type        = number
  default     = null
  description = "Version to pin; null takes the latest enabled version at plan time."
}

variable "readers" {
  type        = map(string)
  description = "IAM members (serviceAccount:...) that read the secret, by function name."
}
