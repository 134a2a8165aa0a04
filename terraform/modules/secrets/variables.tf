variable "project_id" {
  type        = string
  description = "Project of the secrets."
}

variable "secret_ids" {
  type        = map(string)
  description = "Secret id of each concern (config, platform_keys, vendor_secrets, advertiser_keys, study_salts, privacy_key)."
}

variable "versions" {
  type        = map(number)
  default     = {}
  description = "Version to pin, by concern; a concern left out takes its latest enabled version at plan time."
}

variable "readers" {
  type = map(object({
    secret = string
    member = string
  }))
  description = "Who reads which secret: the concern and an IAM member (serviceAccount:...), keyed \"<concern> <function>\"."
}
