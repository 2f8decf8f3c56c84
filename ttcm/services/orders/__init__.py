"""Orders of a campaign: the request and its checks, campaign codes, the exactly-once send.

`service.Orders` is what pages and the CLI call; `create` sends, `codes` reads a campaign's codes
and their room, `request` holds the form's data and checks, `record` stores what TikTok holds.
"""
