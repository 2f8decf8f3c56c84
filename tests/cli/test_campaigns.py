"""`ttcm campaigns|orders create`: a refused write is one line on stderr, whatever refused it."""

from __future__ import annotations

import pytest

from ttcm.cli.campaigns import _write_refusals_as_cli_errors
from ttcm.cli.common import CLIError
from ttcm.services.campaigns.settings import CampaignError
from ttcm.services.form_error import FormError
from ttcm.services.orders.request import OrderError
from ttcm.services.writes import WriteInProgress


@pytest.mark.parametrize("error", [CampaignError, OrderError])
def test_field_errors_become_one_line_naming_each_field(error: type[FormError]) -> None:
    with pytest.raises(CLIError) as info, _write_refusals_as_cli_errors(error):
        raise error({"brand_name": "at most 60 characters", "description": "required"})
    assert str(info.value) == "brand_name: at most 60 characters; description: required"
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_a_write_under_way_elsewhere_is_said_as_it_is() -> None:
    message = "order:1:mia is being sent by another session"
    refusals = _write_refusals_as_cli_errors(OrderError)
    with pytest.raises(CLIError, match=f"^{message}$"), refusals:
        raise WriteInProgress(message)


def test_other_errors_and_other_input_errors_pass_through() -> None:
    with pytest.raises(CampaignError), _write_refusals_as_cli_errors(OrderError):
        raise CampaignError({"campaign": "no such campaign"})
    with pytest.raises(KeyError), _write_refusals_as_cli_errors(OrderError):
        raise KeyError("x")


def test_nothing_raised_is_nothing_said() -> None:
    with _write_refusals_as_cli_errors(OrderError):
        made = 7
    assert made == 7
