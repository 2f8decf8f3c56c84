"""The one way to show text from TikTok, the URL or a person: plain text, never markup.

Streamlit renders Markdown (links, images, emphasis, `:red[...]` colours, `$...$` maths,
`:material/...:` icons) in titles, captions, alerts, `st.write`, button, tab and expander
labels. Every value that was not written by us goes through `plain()` before it reaches one.
"""

from __future__ import annotations

import re

# CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it also breaks
# Streamlit's directives (`:red[`, `:material/x:`), maths (`$`) and GFM autolinks (`http:`).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"\r\n?|\n")
# GFM turns `http://…`, `www.…` and `name@host.tld` into links after escapes are resolved, so
# escaping cannot stop it; an invisible word joiner inside the trigger does
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(https?)(?=:)|\b(www)(?=\.)|(?<=[-.\w+])(@)(?=[-\w])")


def _unlink(found: re.Match[str]) -> str:
    word, www, at = found.groups()
    return f"{word}{_JOINER}" if word else f"{www}{_JOINER}" if www else f"{_JOINER}{at}"


def plain(value: object) -> str:
    """`value` as Markdown source that Streamlit shows literally (links inert, no markup)."""
    text = "" if value is None else str(value)
    return _PUNCTUATION.sub(r"\\\1", _AUTOLINK.sub(_unlink, text))


def plain_line(value: object) -> str:
    """Like `plain`, for one-line places (labels, captions): line breaks shown as spaces."""
    return plain(_LINE_BREAKS.sub(" ", "" if value is None else str(value)))


def plain_list(values: object, sep: str = ", ") -> str:
    """Several values joined by `sep`, each shown literally."""
    items = values if isinstance(values, list | tuple | set | frozenset) else [values]
    return sep.join(plain_line(v) for v in items)
