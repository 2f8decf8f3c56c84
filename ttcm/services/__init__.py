"""The service layer: the only thing pages, the CLI and tests call for data."""
