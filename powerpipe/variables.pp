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
