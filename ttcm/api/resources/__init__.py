"""The typed calls of the TikTok One API, one module per resource group.

Each is a plain function whose first argument is the client it sends through; `TikTokOneClient`
gathers them as its methods.
"""
