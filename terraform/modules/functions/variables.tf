variable "project_id" {
  type        = string
  description = "Project of the functions."
}

variable "region" {
  type        = string
  description = "Region of the functions, their source bucket and image repository."
}

variable "dist_dir" {
  type        = string
  description = "dist/ as `npm run build` writes it: functions.json and one zip per function."
}

variable "functions" {
  type = map(object({
    entry_point     = string
    trigger_topic   = string
    memory          = string
    cpu             = string
    concurrency     = number
    min_instances   = number
    max_instances   = number
    timeout_seconds = number
    secrets         = list(string)
  }))
  description = "Each function's entry point, the topic it is pushed from (null for HTTP functions), its scaling and the secrets (keys of var.secrets) it mounts."
}

variable "max_instances_scale" {
  type        = number
  default     = 1
  description = "Multiplies every function's max_instances."
}

variable "service_accounts" {
  type        = map(string)
  description = "Service account email each function runs as, by function name."
}

variable "build_service_account" {
  type        = string
  description = "Email of the identity Cloud Build builds the functions as."
}

variable "push_service_account" {
  type        = string
  description = "Email of the identity the push subscriptions sign their OIDC tokens as."
}

variable "pubsub_agent" {
  type        = string
  description = "The project's Pub/Sub service agent as an IAM member."
}

variable "topic_ids" {
  type        = map(string)
  description = "Topic id by topic name."
}

variable "dead_letter_topic_ids" {
  type        = map(string)
  description = "Dead-letter topic id by the topic it serves."
}

variable "max_delivery_attempts" {
  type        = number
  default     = 5
  description = "Deliveries of a message before its subscription dead-letters it (5 to 100)."
  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "Pub/Sub allows 5 to 100 delivery attempts."
  }
}

variable "environment" {
  type        = map(string)
  description = "Plain environment variables every function gets (shared/composition/runtime.ts cloudEnv)."
}

variable "secrets" {
  type = map(object({
    env_var = string
    secret  = string
    version = string
  }))
  description = "Each configuration secret by concern: the environment variable it is mounted as, its id and the pinned version."
}
