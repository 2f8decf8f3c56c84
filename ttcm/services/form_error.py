"""The error of a form a service refuses: every wrong field with what is wrong with it."""

from __future__ import annotations

from ttcm.errors import InputError


class FormError(InputError):
    """Invalid input; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
