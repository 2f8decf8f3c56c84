"""`ttcm users add|remove|set-role|reset-password|list`: who may sign in, acting as the system."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ttcm.cli.common import FORMATS, CLIError, actions, emit, load_settings

if TYPE_CHECKING:
    from ttcm.auth.users import Users

T = TypeVar("T")
ROLE_CHOICES = ["viewer", "manager", "admin"]


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise CLIError("no password on standard input")
        return line.rstrip("\r\n")
    import getpass

    if not sys.stdin.isatty():
        raise CLIError("no terminal to ask for the password; use --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise CLIError("the two passwords differ")
    return first


def _users() -> Users:
    from ttcm.auth.users import Users
    from ttcm.runtime import open_store

    return Users(open_store(load_settings()))


def _auth_call(fn: Callable[[], T]) -> T:
    from ttcm.auth import AuthError

    try:
        return fn()
    except AuthError as exc:
        raise CLIError(str(exc)) from None


def cmd_users_add(args: argparse.Namespace) -> int:
    """Create a user."""
    from ttcm.auth import SYSTEM

    users = _users()
    password = _read_password(args)
    p = _auth_call(
        lambda: users.add(SYSTEM, args.name, password, role=args.role, name=args.full_name or "")
    )
    print(f"added {p.username} as {p.role}")
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    """Delete a user."""
    from ttcm.auth import SYSTEM

    _auth_call(lambda: _users().remove(SYSTEM, args.name))
    print(f"removed {args.name.strip().lower()}")
    return 0


def cmd_users_set_role(args: argparse.Namespace) -> int:
    """Change a user's role."""
    from ttcm.auth import SYSTEM

    _auth_call(lambda: _users().set_role(SYSTEM, args.name, args.role))
    print(f"{args.name.strip().lower()} is now {args.role}; their open sessions have ended")
    return 0


def cmd_users_reset_password(args: argparse.Namespace) -> int:
    """Set a new password."""
    from ttcm.auth import SYSTEM

    users = _users()
    password = _read_password(args)
    _auth_call(lambda: users.reset_password(SYSTEM, args.name, password))
    print(f"password of {args.name.strip().lower()} reset; their open sessions have ended")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    """List users."""
    from ttcm.auth import SYSTEM

    emit(_auth_call(lambda: _users().list(SYSTEM)), args.format)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `users` actions."""
    u_sub = actions(subparsers, "users", "people who may sign in, and their roles")
    u = u_sub.add_parser("add", help="create a user")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=ROLE_CHOICES)
    u.add_argument("--full-name", help="name shown in the app (default: the user name)")
    u.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    u.set_defaults(func=cmd_users_add)
    u = u_sub.add_parser("remove", help="delete a user")
    u.add_argument("name")
    u.set_defaults(func=cmd_users_remove)
    u = u_sub.add_parser("set-role", help="change a user's role")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=ROLE_CHOICES)
    u.set_defaults(func=cmd_users_set_role)
    u = u_sub.add_parser("reset-password", help="set a new password")
    u.add_argument("name")
    u.add_argument("--password-stdin", action="store_true")
    u.set_defaults(func=cmd_users_reset_password)
    u = u_sub.add_parser("list", help="list users")
    u.add_argument("--format", choices=FORMATS, default="table")
    u.set_defaults(func=cmd_users_list)
