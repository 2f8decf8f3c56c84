"""ttcm.web.feedback: every TTCMError shown once, by field, as plain text."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ttcm.web.text import plain


def _shown(raise_line: str) -> AppTest:
    script = f"""
from ttcm.errors import UpstreamError
from ttcm.auth import PermissionDenied
from ttcm.services.fees import FeeError
from ttcm.services.orders.request import OrderError
from ttcm.web.feedback import show_error
try:
    {raise_line}
except Exception as exc:
    show_error(exc, lambda name: {{"video_number": "Videos per creator"}}.get(name, name))
"""
    return AppTest.from_string(script).run()


def test_each_wrong_field_is_named_by_its_label_as_plain_text() -> None:
    at = _shown('raise OrderError({"video_number": "from 1 to 10", "x": "**bold** <b>"})')
    assert [e.value for e in at.error] == [
        "Videos per creator: from 1 to 10",
        f"x: {plain('**bold** <b>')}",  # Markdown and HTML stay inert
    ]


def test_a_one_field_error_and_the_other_kinds() -> None:
    assert [e.value for e in _shown('raise FeeError("amount", "too big")').error] == [
        "amount: too big"
    ]
    assert _shown('raise PermissionDenied("needs the manager role")').warning[0].value == (
        "needs the manager role"
    )
    upstream = _shown('raise UpstreamError("boom")').error[0].value
    assert upstream.startswith("TikTok did not answer as expected:")
