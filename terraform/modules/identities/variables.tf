variable "project_id" {
  type        = string
  description = "Project the service accounts live in."
}

variable "functions" {
  type        = list(string)
  description = "Names of the functions, one service account each."
}
