"""Pydantic models of the TikTok One payloads: the one place their shapes are known.

Every model ignores unknown keys and tolerates the variants seen across sources
(docs/decisions.md §9): timestamps as Unix seconds, milliseconds or date strings; ids as
numbers or strings (always `str` here); renamed fields (`followings_count`, `creator_rate`,
`auth_status_update_time`, `handler_name`); retention as a list or a string; traffic sources as an
object or a list. A metric that is missing or unreadable is `None`, never 0. Only identity fields
(handle, video id, order id, ...) are required; a payload without them fails validation.

One module per resource: `accounts`, `audience`, `creators`, `posts`, `campaigns`, `orders`,
`spark`, `paging`; `ttcm.api` exports the public models.
"""
