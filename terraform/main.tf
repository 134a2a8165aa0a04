# Earshot on Google Cloud (docs/deploy.md). Run `npm run build` first: it writes the function
# archives, the table schemas and the view SQL this configuration reads from ../dist.

locals {
  dist = "${path.module}/../dist"

  # Every function of shared/composition/function-catalog.ts, what it may touch and how it scales. The access
  # columns are the only grants a function gets (test/unit/terraform checks them against the code):
  #   publishes: topics it publishes to; state: reads and writes the Firestore database;
  #   warehouse: writes the BigQuery tables; secrets: the secrets of local.secrets it mounts and
  #   may read: `config` if its handler takes the configuration, then the secret fields its code
  #   reads (beacon: platform keys for Bearer keys, the master key for household keys;
  #   verification: vendor whsec_ secrets; conversion: advertiser keys, study salts for the arms,
  #   the master key; assign: study salts, hashed with the truncated IP, not the monthly key;
  #   count and attribute: settings only; warehouse: no configuration at all).
  # trigger_topic is the topic a Pub/Sub function's push subscription reads; null for HTTP ones.
  # reads_warehouse (set on reports only; try() reads it as false elsewhere): runs query jobs
  # and reads the dataset's tables and views, never writes them.
  functions = {
    beacon = {
      entry_point     = "beacon"
      trigger_topic   = null
      publishes       = ["beacons"]
      state           = true
      warehouse       = false
      secrets         = ["config", "platform_keys", "privacy_key"]
      memory          = "512Mi"
      cpu             = "1"
      concurrency     = 80
      min_instances   = var.min_instances_http
      max_instances   = 100
      timeout_seconds = 60
    }
    verification = {
      entry_point     = "verification"
      trigger_topic   = null
      publishes       = ["facts"]
      state           = true
      warehouse       = false
      secrets         = ["config", "vendor_secrets"]
      memory          = "512Mi"
      cpu             = "1"
      concurrency     = 80
      min_instances   = 0
      max_instances   = 20
      timeout_seconds = 60
    }
    conversion = {
      entry_point     = "conversion"
      trigger_topic   = null
      publishes       = ["conversions"]
      state           = false
      warehouse       = false
      secrets         = ["config", "advertiser_keys", "study_salts", "privacy_key"]
      memory          = "512Mi"
      cpu             = "1"
      concurrency     = 80
      min_instances   = var.min_instances_http
      max_instances   = 50
      timeout_seconds = 60
    }
    assign = {
      entry_point     = "assign"
      trigger_topic   = null
      publishes       = []
      state           = false
      warehouse       = false
      secrets         = ["config", "study_salts"]
      memory          = "256Mi"
      cpu             = "1"
      concurrency     = 80
      min_instances   = var.min_instances_http
      max_instances   = 50
      timeout_seconds = 10
    }
    # The partner reports API: reads the views for the key's tenant (platform, advertiser and
    # analyst keys, never a salt or the master key).
    reports = {
      entry_point     = "reports"
      trigger_topic   = null
      publishes       = []
      state           = false
      warehouse       = false
      reads_warehouse = true
      secrets         = ["config", "platform_keys", "advertiser_keys", "analyst_keys"]
      memory          = "512Mi"
      cpu             = "1"
      concurrency     = 40
      min_instances   = 0
      max_instances   = 10
      timeout_seconds = 60
    }
    # Pub/Sub functions take one batch per request; a few at once keep the CPU busy while they wait
    # on Firestore or BigQuery, and their timeout stays under the subscription's ack deadline.
    count = {
      entry_point     = "count"
      trigger_topic   = "beacons"
      publishes       = ["facts"]
      state           = true
      warehouse       = false
      secrets         = ["config"]
      memory          = "1Gi"
      cpu             = "1"
      concurrency     = 8
      min_instances   = 0
      max_instances   = 30
      timeout_seconds = 300
    }
    attribute = {
      entry_point     = "attribute"
      trigger_topic   = "conversions"
      publishes       = ["facts"]
      state           = true
      warehouse       = false
      secrets         = ["config"]
      memory          = "512Mi"
      cpu             = "1"
      concurrency     = 8
      min_instances   = 0
      max_instances   = 10
      timeout_seconds = 300
    }
    cdnlogs = {
      entry_point     = "cdnlogs"
      trigger_topic   = "cdn_logs"
      publishes       = ["beacons", "facts"]
      state           = true
      warehouse       = false
      secrets         = ["config", "privacy_key"]
      memory          = "512Mi"
      cpu             = "1"
      concurrency     = 40
      min_instances   = 0
      max_instances   = 20
      timeout_seconds = 60
    }
    logobjects = {
      entry_point     = "logobjects"
      trigger_topic   = "log_objects"
      publishes       = ["beacons", "facts"]
      state           = true
      warehouse       = false
      secrets         = ["config", "privacy_key"]
      memory          = "2Gi"
      cpu             = "1"
      concurrency     = 1
      min_instances   = 0
      max_instances   = 10
      timeout_seconds = 540
    }
    warehouse = {
      entry_point     = "warehouse"
      trigger_topic   = "facts"
      publishes       = []
      state           = false
      warehouse       = true
      secrets         = []
      memory          = "512Mi"
      cpu             = "1"
      concurrency     = 8
      min_instances   = 0
      max_instances   = 20
      timeout_seconds = 300
    }
  }

  # One Secret Manager secret per concern, each mounted as the environment variable of
  # shared/platform/config/merge-secrets.ts (cloudEnv in shared/composition/runtime.ts), which merges them into the
  # configuration. `config` is the settings document without secrets (docs/deploy.md).
  secrets = {
    config          = { secret_id = "earshot-config", env_var = "EARSHOT_CONFIG" }
    platform_keys   = { secret_id = "earshot-platform-keys", env_var = "EARSHOT_PLATFORM_KEYS" }
    vendor_secrets  = { secret_id = "earshot-vendor-secrets", env_var = "EARSHOT_VENDOR_SECRETS" }
    advertiser_keys = { secret_id = "earshot-advertiser-keys", env_var = "EARSHOT_ADVERTISER_KEYS" }
    analyst_keys    = { secret_id = "earshot-analyst-keys", env_var = "EARSHOT_ANALYST_KEYS" }
    study_salts     = { secret_id = "earshot-study-salts", env_var = "EARSHOT_STUDY_SALTS" }
    privacy_key     = { secret_id = "earshot-privacy-key", env_var = "EARSHOT_PRIVACY_KEY" }
  }

  # The topics of shared/contracts/ports.ts (Topic); each gets a dead-letter topic.
  topics = ["beacons", "cdn_logs", "conversions", "facts", "log_objects"]

  # Firestore collections the code keeps state in; documents expire by `expires_at`.
  state_collections = ["attribution", "catalog_feeds", "catalog_paths", "catalog_urls", "counting", "webhooks"]

  apis = [
    "artifactregistry.googleapis.com", "bigquery.googleapis.com", "cloudbuild.googleapis.com", "cloudscheduler.googleapis.com",
    "cloudfunctions.googleapis.com", "cloudresourcemanager.googleapis.com", "firestore.googleapis.com",
    "iam.googleapis.com", "logging.googleapis.com", "monitoring.googleapis.com", "pubsub.googleapis.com",
    "run.googleapis.com", "secretmanager.googleapis.com", "storage.googleapis.com",
  ]

  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  members      = { for name, email in module.identities.function_emails : name => "serviceAccount:${email}" }
}

data "google_project" "this" {
  project_id = var.project_id
}

resource "google_project_service" "apis" {
  for_each           = toset(local.apis)
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

module "identities" {
  source     = "./modules/identities"
  project_id = var.project_id
  functions  = keys(local.functions)
  depends_on = [google_project_service.apis]
}

module "secrets" {
  source     = "./modules/secrets"
  project_id = var.project_id
  secret_ids = { for name, s in local.secrets : name => s.secret_id }
  versions   = var.secret_versions
  readers    = { for pair in setproduct(keys(local.secrets), keys(local.functions)) : "${pair[0]} ${pair[1]}" => { secret = pair[0], member = local.members[pair[1]] } if contains(local.functions[pair[1]].secrets, pair[0]) }
  depends_on = [google_project_service.apis]
}

module "warehouse" {
  source                    = "./modules/warehouse"
  project_id                = var.project_id
  dataset_id                = var.dataset_id
  location                  = var.dataset_location
  artifacts_dir             = "${local.dist}/bigquery"
  discrepancy_threshold_pct = var.discrepancy_threshold_pct
  cuped_pre_period_days     = var.cuped_pre_period_days
  writers                   = { for name, fn in local.functions : name => local.members[name] if fn.warehouse }
  readers                   = { for name, fn in local.functions : name => local.members[name] if try(fn.reads_warehouse, false) }
  dead_letter_writer        = local.pubsub_agent
  depends_on                = [google_project_service.apis]
}

module "pubsub" {
  source             = "./modules/pubsub"
  project_id         = var.project_id
  topics             = local.topics
  publishers         = { for pair in setproduct(local.topics, keys(local.functions)) : "${pair[0]} ${pair[1]}" => { topic = pair[0], member = local.members[pair[1]] } if contains(local.functions[pair[1]].publishes, pair[0]) }
  pubsub_agent       = local.pubsub_agent
  dead_letters_table = module.warehouse.dead_letters_table
  depends_on         = [google_project_service.apis]
}

module "state" {
  source      = "./modules/state"
  project_id  = var.project_id
  database_id = var.firestore_database
  location    = coalesce(var.firestore_location, var.region)
  collections = local.state_collections
  users       = { for name, fn in local.functions : name => local.members[name] if fn.state }
  depends_on  = [google_project_service.apis]
}

module "functions" {
  source                = "./modules/functions"
  project_id            = var.project_id
  region                = var.region
  dist_dir              = local.dist
  functions             = local.functions
  max_instances_scale   = var.max_instances_scale
  service_accounts      = module.identities.function_emails
  build_service_account = module.identities.build_email
  push_service_account  = module.identities.push_email
  pubsub_agent          = local.pubsub_agent
  topic_ids             = module.pubsub.topic_ids
  dead_letter_topic_ids = module.pubsub.dead_letter_topic_ids
  environment = {
    GOOGLE_CLOUD_PROJECT       = var.project_id
    EARSHOT_DATASET            = module.warehouse.dataset_id
    EARSHOT_FIRESTORE_DATABASE = module.state.database_id
  }
  secrets = { for name, s in local.secrets : name => { env_var = s.env_var, secret = module.secrets.secret_ids[name], version = module.secrets.versions[name] } }
  # The functions start only once every grant they rely on exists.
  depends_on = [module.secrets, module.pubsub, module.state, module.warehouse]
}

module "monitoring" {
  source                      = "./modules/monitoring"
  project_id                  = var.project_id
  functions                   = keys(local.functions)
  intake_functions            = ["beacon", "conversion", "verification"]
  replay_subscriptions        = module.pubsub.dead_letter_replay_subscriptions
  alert_email                 = var.alert_email
  error_rate_threshold        = var.error_rate_threshold
  intake_latency_threshold_ms = var.intake_latency_threshold_ms
  depends_on                  = [google_project_service.apis]
}
