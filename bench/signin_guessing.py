"""How many password guesses a minute an attacker gets, and whether the account holder gets in.

    .venv/bin/python bench/signin_guessing.py --seconds 60 --threads 40 --clients 5 [--db URL]

40 threads guess one account's password as fast as they can, from 5 client keys, for the given
time on the real clock; every 5 s the account holder signs in with the right password from her
own browser (a device token; the same client key as a guesser). Prints the guesses whose
password was actually checked, per minute, and the holder's sign-ins.
"""

from __future__ import annotations

import argparse
import inspect
import tempfile
import threading
import time
from pathlib import Path

from ttcm.auth import SYSTEM, AuthError, InvalidCredentials
from ttcm.auth.users import Users
from ttcm.store import Store, upgrade

PASSWORD = "correct horse battery staple"


def main() -> int:
    """Run the attack and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--threads", type=int, default=40)
    ap.add_argument("--clients", type=int, default=5)
    ap.add_argument("--db", help="SQLAlchemy URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp()) / 'signin.db'}"
    store = Store.from_url(url)
    upgrade(store.engine)
    users = Users(store)
    holder = users.add(SYSTEM, "target", PASSWORD, role="manager")
    device = None
    if "device" in inspect.signature(users.authenticate).parameters:
        from ttcm.auth.users import Device

        device = Device(holder.account_id, "her-laptop")
    checked = refused = 0
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def guess(n: int) -> None:
        nonlocal checked, refused
        i = 0
        while time.monotonic() < stop:
            i += 1
            try:
                users.authenticate("target", f"guess {n}-{i}", f"bot-{n % args.clients}")
            except InvalidCredentials:
                with lock:
                    checked += 1
            except AuthError:
                with lock:
                    refused += 1
                time.sleep(0.05)

    bots = [threading.Thread(target=guess, args=(n,)) for n in range(args.threads)]
    began = time.monotonic()
    for t in bots:
        t.start()
    holder_ok = holder_tries = 0
    while time.monotonic() < stop:
        time.sleep(5)
        holder_tries += 1
        try:
            extra = {"device": device} if device is not None else {}
            users.authenticate("target", PASSWORD, "bot-0", **extra)
            holder_ok += 1
        except AuthError as exc:
            print(f"  holder refused: {exc}")
    for t in bots:
        t.join()
    minutes = (time.monotonic() - began) / 60
    print(f"{args.threads} threads, {args.clients} client keys, {minutes * 60:.0f} s on {url}")
    print(f"guesses checked: {checked} ({checked / minutes:.1f} a minute); refused: {refused}")
    print(f"holder signed in {holder_ok} of {holder_tries} times")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
