mod "journeybee_insights" {
  # Hub metadata
  title         = "JourneyBee Insights"
  description   = "Scheduled partner reports for JourneyBee leads and deals: status, unassigned and age reports, partner-sourced pipeline, a partner leaderboard, partner scorecards, a lead detail page and a lead and partner service-level benchmark, using Powerpipe and Steampipe."
  color         = "#F59E0B"
  documentation = file("./docs/index.md")
  categories    = ["journeybee", "dashboard", "partner", "compliance"]

  opengraph {
    title       = "Powerpipe Mod for JourneyBee Insights"
    description = "Scheduled partner reports for JourneyBee leads using Powerpipe and Steampipe."
  }

  # Panels follow the database variable: run against another Steampipe with
  # --var 'database=connection.steampipe.<name>'.
  database = var.database

  require {
    plugin "local/journeybee" {
      # Powerpipe requires a min_version; a locally built plugin (make
      # install) satisfies any.
      min_version = "0.0.1"
    }
  }
}
