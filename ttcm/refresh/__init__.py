"""The refresh: TikTok One API -> store, one run at a time, resumable (docs/decisions.md §5).

`run` orders the steps and keeps the books; `lease`, `runs`, `writer`, `progress` and `context`
are its machinery; `account`, `creators` (with `discover`, `creator_details`, `invitations`),
`campaigns`, `orders`, `posts` and `spark` fetch one resource each; `status` says how fresh the
store is; `jobs` runs a refresh off the app's thread.
"""
