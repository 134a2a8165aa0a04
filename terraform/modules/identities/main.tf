# One service account per function, so each gets only the grants its own work needs; one identity
# for Pub/Sub's push requests, allowed only to invoke the Pub/Sub functions; one for building them.
# None gets a role here: the modules owning each resource grant on that resource.

resource "google_service_account" "function" {
  for_each     = toset(var.functions)
  project      = var.project_id
  account_id   = "earshot-fn-${each.key}"
  display_name = "Earshot ${each.key} function"
  description  = "Runs the ${each.key} Cloud Function; granted only what that function touches."
}

resource "google_service_account" "push" {
  project      = var.project_id
  account_id   = "earshot-pubsub-push"
  display_name = "Earshot Pub/Sub push identity"
  description  = "Signs the OIDC tokens of the push subscriptions; may only invoke the Pub/Sub functions."
}

resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "earshot-build"
  display_name = "Earshot function builds"
  description  = "Cloud Build identity of the functions' builds: reads their sources, writes their images."
}
