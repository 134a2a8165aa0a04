variable "project_id" {
  type        = string
  description = "Google Cloud project to deploy into (its id, not its number)."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project id: 6-30 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  type        = string
  default     = "us-central1"
  description = "Region of the functions, their source bucket and build repository."
  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as us-central1 or europe-west1."
  }
}

variable "dataset_id" {
  type        = string
  default     = "earshot"
  description = "BigQuery dataset of the warehouse tables and views (docs/analysts.md calls it earshot)."
  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_]{0,1023}$", var.dataset_id))
    error_message = "dataset_id may hold letters, digits and underscores, up to 1024 characters."
  }
}

variable "dataset_location" {
  type        = string
  default     = "US"
  description = "BigQuery location of the dataset: a multi-region (US, EU) or a region."
  validation {
    condition     = can(regex("^(US|EU|[a-z]+-[a-z]+[0-9]+)$", var.dataset_location))
    error_message = "dataset_location must be US, EU or a region such as europe-west1."
  }
}

variable "firestore_database" {
  type        = string
  default     = "earshot"
  description = "Firestore database holding the state (listener windows, webhook ids, attribution claims); its own database, so access can be granted on it alone."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,61}[a-z0-9]$", var.firestore_database))
    error_message = "firestore_database must be 4-63 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "firestore_location" {
  type        = string
  default     = null
  description = "Firestore location (a region or a multi-region such as nam5, eur3); the functions' region when null."
}

variable "secret_versions" {
  type        = map(number)
  default     = {}
  description = "Version of each secret the functions mount, by concern (config, platform_keys, vendor_secrets, advertiser_keys, analyst_keys, study_salts, privacy_key). A concern left out pins its latest enabled version at plan time, so adding a version and applying rolls it out; set a number to roll back, e.g. { platform_keys = 3 }."
  validation {
    condition     = alltrue([for name, version in var.secret_versions : contains(["config", "platform_keys", "vendor_secrets", "advertiser_keys", "analyst_keys", "study_salts", "privacy_key"], name) && try(version >= 1 && floor(version) == version, false)])
    error_message = "secret_versions maps config, platform_keys, vendor_secrets, advertiser_keys, analyst_keys, study_salts or privacy_key to a whole version number of at least 1."
  }
}

variable "cuped_pre_period_days" {
  type        = number
  default     = 28
  description = "lift_results' CUPED covariate: a household's conversions in this many days before its first study placement; the same setting as the config's reporting.cuped_pre_period_days."
  validation {
    condition     = var.cuped_pre_period_days >= 1 && var.cuped_pre_period_days <= 365 && floor(var.cuped_pre_period_days) == var.cuped_pre_period_days
    error_message = "cuped_pre_period_days must be a whole number of days from 1 to 365."
  }
}

variable "discrepancy_threshold_pct" {
  type        = number
  default     = 5
  description = "verification_discrepancy flags campaign-days whose first/third-party discrepancy exceeds this percentage (the IAB's generally acceptable 5%); the same setting as the config's reporting.discrepancy_threshold_pct."
  validation {
    condition     = var.discrepancy_threshold_pct >= 0 && var.discrepancy_threshold_pct <= 100
    error_message = "discrepancy_threshold_pct must be between 0 and 100."
  }
}

variable "alert_email" {
  type        = string
  default     = null
  description = "Where alerts go by email; no notification channel when null (the incidents still open in Cloud Monitoring)."
  validation {
    condition     = var.alert_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alert_email))
    error_message = "alert_email must be an email address."
  }
}

variable "error_rate_threshold" {
  type        = number
  default     = 0.01
  description = "Share of a function's requests answered 5xx, over 5 minutes, that opens an incident."
  validation {
    condition     = var.error_rate_threshold > 0 && var.error_rate_threshold < 1
    error_message = "error_rate_threshold is a share between 0 and 1."
  }
}

variable "intake_latency_threshold_ms" {
  type        = number
  default     = 1000
  description = "95th percentile latency (milliseconds) of the intake functions (beacon, conversion, verification), over 5 minutes, that opens an incident."
  validation {
    condition     = var.intake_latency_threshold_ms > 0
    error_message = "intake_latency_threshold_ms must be positive."
  }
}

variable "min_instances_http" {
  type        = number
  default     = 1
  description = "Instances each intake function keeps warm, so a beacon never waits for a cold start (0 to save cost)."
  validation {
    condition     = var.min_instances_http >= 0 && var.min_instances_http <= 10
    error_message = "min_instances_http must be between 0 and 10."
  }
}

variable "max_instances_scale" {
  type        = number
  default     = 1
  description = "Multiplies every function's maximum instance count (each function's own ceiling is in main.tf)."
  validation {
    condition     = var.max_instances_scale > 0 && var.max_instances_scale <= 10
    error_message = "max_instances_scale must be above 0 and at most 10."
  }
}
