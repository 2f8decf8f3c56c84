"""What an order request tells the person about each creator it could not simply create."""

from __future__ import annotations

from ttcm.api import errors as api_errors
from ttcm.services.writes import STALE_AFTER

IN_PROGRESS = "Being sent from another session right now; try again in a moment to see it."
UNCONFIRMED = (
    "TikTok did not confirm this order. ttcm looks it up on its campaign code before sending "
    "again, so retrying cannot create a duplicate."
)
UNCONFIRMED_NEW = (
    "TikTok did not confirm this order, and it would have started a campaign code ttcm has not "
    "seen, so it cannot be looked up. If TikTok One shows an order for this creator, recover it "
    "by its campaign code; otherwise send it again explicitly."
)
REFUSED_BY_TIKTOK = (
    "TikTok refuses orders for this creator ({reason}). Choose another creator; this one can be "
    "ordered once on the TikTok Creator Marketplace (invite them from the Invitations page)."
)
NOT_SENT = "Not sent: an earlier call of this request failed; try again."
SENDING = (
    "Being sent, or its sender stopped half-way; a new request looks it up on TikTok once the "
    f"sender has been silent for {int(STALE_AFTER.total_seconds())} seconds."
)
OTHER_DELIVERABLES = (
    "These deliverables differ from those of the campaign's codes (a code keeps its "
    "first order's deliverables)"
)


def failure_text(exc: BaseException, status: str) -> str:
    """What a failed create call means for the creators it carried."""
    if status == "unknown":
        return UNCONFIRMED
    if isinstance(exc, api_errors.RateLimitError):
        return "TikTok is throttling requests; nothing was created. Try again in a minute."
    if isinstance(exc, api_errors.APIConnectionError):
        return "TikTok could not be reached; nothing was created. Try again."
    if isinstance(exc, api_errors.RequestValidationError):
        return f"Not sent: {exc.message}"
    if isinstance(exc, api_errors.TikTokAPIError):
        return f"TikTok refused the order: {exc}"
    return f"The order could not be sent: {exc.__class__.__name__}"
