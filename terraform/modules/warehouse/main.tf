# The warehouse (docs/analysts.md): every table and view the code defines, as `npm run build`
# lists them. Schemas derive from shared/contracts/schemas; layouts come from TableLayout in
# shared/contracts/schemas/rows.ts; views from shared/application/warehouse/views in creation order.

locals {
  tables = jsondecode(file("${var.artifacts_dir}/tables.json"))
  views  = { for view in jsondecode(file("${var.artifacts_dir}/views.json")) : view.name => view }
  # Every {{placeholder}} the BigQuery build leaves in the view SQL, filled here.
  view_sql = {
    for name, view in local.views : name => replace(replace(replace(
      file("${var.artifacts_dir}/${view.sql_file}"),
      "{{dataset}}", "${var.project_id}.${google_bigquery_dataset.warehouse.dataset_id}"),
      "{{discrepancy_threshold_pct}}", tostring(var.discrepancy_threshold_pct)),
      "{{cuped_pre_period_days}}", tostring(var.cuped_pre_period_days),
    )
  }
  writes = { for pair in setproduct(keys(local.tables), keys(var.writers)) : "${pair[0]} ${pair[1]}" => { table = pair[0], member = var.writers[pair[1]] } }
}

resource "google_bigquery_dataset" "warehouse" {
  project                    = var.project_id
  dataset_id                 = var.dataset_id
  location                   = var.location
  description                = "Earshot: every beacon with its verdict, delivery aggregates, verification, conversions, attribution and dead letters (docs/analysts.md)."
  delete_contents_on_destroy = false
  labels                     = { app = "earshot" }
}

resource "google_bigquery_table" "table" {
  for_each                 = local.tables
  project                  = var.project_id
  dataset_id               = google_bigquery_dataset.warehouse.dataset_id
  table_id                 = each.key
  schema                   = file("${var.artifacts_dir}/${each.value.schema_file}")
  clustering               = each.value.cluster_by
  require_partition_filter = each.value.require_partition_filter
  deletion_protection      = true
  labels                   = { app = "earshot" }
  time_partitioning {
    type  = "DAY"
    field = each.value.partition_by
  }
}

# A view is created only once the tables and views it reads exist: stage 0 reads tables only,
# stage 1 reads stage-0 views too (views.json gives each view its stage).
resource "google_bigquery_table" "view_stage_0" {
  for_each            = { for name, view in local.views : name => view if view.stage == 0 }
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.warehouse.dataset_id
  table_id            = each.key
  description         = each.value.description
  deletion_protection = false
  labels              = { app = "earshot" }
  view {
    query          = local.view_sql[each.key]
    use_legacy_sql = false
  }
  lifecycle {
    precondition {
      condition     = !strcontains(local.view_sql[each.key], "{{")
      error_message = "The view SQL has a placeholder this module does not fill."
    }
  }
  depends_on = [google_bigquery_table.table]
}

resource "google_bigquery_table" "view_stage_1" {
  for_each            = { for name, view in local.views : name => view if view.stage == 1 }
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.warehouse.dataset_id
  table_id            = each.key
  description         = each.value.description
  deletion_protection = false
  labels              = { app = "earshot" }
  view {
    query          = local.view_sql[each.key]
    use_legacy_sql = false
  }
  lifecycle {
    precondition {
      condition     = !strcontains(local.view_sql[each.key], "{{")
      error_message = "The view SQL has a placeholder this module does not fill."
    }
  }
  depends_on = [google_bigquery_table.view_stage_0]
}

resource "terraform_data" "view_stages" {
  lifecycle {
    precondition {
      condition     = alltrue([for view in values(local.views) : view.stage <= 1])
      error_message = "A view reads a stage-1 view: add a view_stage_2 resource to modules/warehouse."
    }
  }
}

# Row writes only (insertAll), table by table: the writers cannot create or drop tables.
resource "google_bigquery_table_iam_member" "writer" {
  for_each   = local.writes
  project    = var.project_id
  dataset_id = google_bigquery_dataset.warehouse.dataset_id
  table_id   = google_bigquery_table.table[each.value.table].table_id
  role       = "roles/bigquery.dataEditor"
  member     = each.value.member
}

resource "google_bigquery_table_iam_member" "dead_letter_writer" {
  project    = var.project_id
  dataset_id = google_bigquery_dataset.warehouse.dataset_id
  table_id   = google_bigquery_table.table["dead_letters"].table_id
  role       = "roles/bigquery.dataEditor"
  member     = var.dead_letter_writer
}

# Reads only: query jobs in the project (a job is billed to it, capped by the query's
# maximumBytesBilled) and read access to this one dataset, whose views read its own tables.
resource "google_project_iam_member" "query_jobs" {
  for_each = var.readers
  project  = var.project_id
  role     = "roles/bigquery.jobUser"
  member   = each.value
}

resource "google_bigquery_dataset_iam_member" "reader" {
  for_each   = var.readers
  project    = var.project_id
  dataset_id = google_bigquery_dataset.warehouse.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = each.value
}
