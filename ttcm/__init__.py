"""ttcm: a campaign dashboard for brands on the TikTok Creator Marketplace (TikTok One)."""

__version__ = "0.1.0"
