"""Campaigns: `service.Campaigns` for pages and the CLI; `settings` holds the form's data and
checks, `create` the exactly-once create on TikTok, `creators` who is in a campaign."""
