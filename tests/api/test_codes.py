"""Codes 20001 (partial success), 50002/52xxx (server timeouts) and 40001 (which permission)."""

from __future__ import annotations

import pytest

from tests.api.conftest import Env, Script, envelope
from ttcm.api import errors as e

LABELS = {"industry_labels": [], "content_labels": []}


def test_partial_success_is_returned_with_the_failed_parts(make_env) -> None:
    data = {"in_tcm": [], "invited": ["mia"], "rejected": ["leo"], "reject_reasons": {"leo": "x"}}
    script = Script([envelope(data, code=20001, message="Partial success.")])
    env: Env = make_env(script)
    result = env.client.invite(["mia", "leo"])
    assert result.partial and result.message == "Partial success."
    assert result.value.invited == ["mia"] and result.value.rejected == ["leo"]
    assert len(script.requests) == 1  # a partial write is never sent again


@pytest.mark.parametrize("code", [50002, 52000, 52101, 52999])
def test_server_timeouts_are_retried_for_reads(make_env, code: int) -> None:
    script = Script([envelope(code=code, message="Server timeout."), envelope(LABELS)])
    env: Env = make_env(script)
    env.client.labels()
    assert len(script.requests) == 2


@pytest.mark.parametrize("code", [50002, 52001])
def test_server_timeouts_are_not_retried_for_writes(make_env, code: int) -> None:
    script = Script([envelope(code=code, message="Server timeout.")])
    env: Env = make_env(script)
    with pytest.raises(e.ServerError):
        env.client.invite(["mia"])
    assert len(script.requests) == 1


def test_40001_names_the_permission_to_ask_for(make_env) -> None:
    script = Script([envelope(code=40001, message="No permission to operate this API.")])
    env: Env = make_env(script)
    with pytest.raises(e.PermissionDeniedError) as info:
        env.client.spark_status("7301")
    text = str(info.value)
    assert "TCM > Send Spark Ads Invitation to Creators and Get the Status" in text
    assert "/tcm/tt_video/status/" in text and "No permission to operate this API." in text
    assert len(script.requests) == 1


def test_other_permission_codes_keep_their_message(make_env) -> None:
    script = Script([envelope(code=40130, message="Scope not authorized.")])
    env: Env = make_env(script)
    with pytest.raises(e.PermissionDeniedError, match=r"^Scope not authorized\.") as info:
        env.client.spark_status("7301")
    assert "My Apps" not in str(info.value)
