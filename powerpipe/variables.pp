variable "database" {
  type        = connection.steampipe
  description = "Steampipe database connection the dashboards query."
  default     = connection.steampipe.default
}

variable "stale_days" {
  type        = number
  description = "A lead still 'new' after this many days is stale: the status report and the lead dashboard raise an alert card for it."
  default     = 7
}

# Service levels: the thresholds of the lead_service_levels benchmark.

variable "partner_lead_unassigned_hours" {
  type        = number
  description = "An open partner-sourced lead with nobody assigned longer than this many hours (since it was created) alarms."
  default     = 24
}

variable "partner_lead_acceptance_hours" {
  type        = number
  description = "A partner-sourced lead still 'new' (not accepted) this many hours after it was created alarms."
  default     = 48
}

variable "qualified_lead_deal_days" {
  type        = number
  description = "A 'qualified' lead with no deal this many days after it was created alarms."
  default     = 14
}

variable "duplicate_referral_days" {
  type        = number
  description = "Referral protection window: a company (same name or email domain) referred by a second partner within this many days of the first referral alarms; the first referral wins."
  default     = 90
}

variable "partner_pipeline_min_percent" {
  type        = number
  description = "Per currency, open deal value from partnerships below this percentage of all open deal value alarms."
  default     = 20
}

variable "reciprocity_days" {
  type        = number
  description = "Leads created in the last this many days count for reciprocity."
  default     = 90
}

variable "reciprocity_min_received" {
  type        = number
  description = "A partner that sent fewer leads than this in the reciprocity window is not judged (info)."
  default     = 3
}

variable "reciprocity_min_percent" {
  type        = number
  description = "A partner that sent at least reciprocity_min_received leads alarms when the leads sent back to it are fewer than this percentage of them."
  default     = 20
}
