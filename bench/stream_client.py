"""A minimal Streamlit websocket client for load benches: what a browser tab says, minus drawing.

It speaks the app's own protocol on `/_stcore/stream` (protobuf BackMsg out, ForwardMsg in): a
run is one `rerun_script` BackMsg carrying the page, the query string and the widget states a
person just changed, answered by the deltas of that run and its `script_finished`. Widgets are
found by their label in the deltas of the runs so far, as a person finds them on the page, and a
widget drawn inside a fragment reruns that fragment only, as in the browser. The page address the
app writes (`st.query_params`) comes back as `page_info_changed` and goes with every later run.

What it leaves out, on purpose: JavaScript components (the cookie component's own reruns after a
sign-in), the file and media requests a page makes after its deltas, and drawing. A run's time is
from the BackMsg sent until its `script_finished` arrived: the server's answer, nothing else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
_TEXT = ("heading", "markdown", "text", "alert")


class StreamError(RuntimeError):
    """The app answered a run with something a browser would show as broken."""


@dataclass(frozen=True)
class Widget:
    """A widget as the last run drew it: its kind, id, and the fragment it belongs to."""

    kind: str
    id: str
    fragment: str
    proto: Any


@dataclass
class Run:
    """One run's answer: the texts it drew, the seconds it took, how many bytes came back."""

    texts: list[str] = field(default_factory=list)
    seconds: float = 0.0
    received: int = 0

    def shows(self, text: str) -> bool:
        """Whether the run drew `text` as a whole heading, paragraph or caption."""
        return text in self.texts


class StreamSession:
    """One browser tab's conversation with the app over one websocket."""

    def __init__(self, ws: Any, timeout: float) -> None:
        self._ws = ws
        self._timeout = timeout
        self.pages: dict[str, tuple[str, str]] = {}  # page title -> (script hash, url path)
        self.page = ""  # the current page's script hash ("" before the first run)
        self.query = ""
        self.widgets: dict[str, Widget] = {}  # label -> widget, as last drawn

    @classmethod
    async def open(
        cls, url: str, cookies: dict[str, str], headers: dict[str, str], timeout: float = 60.0
    ) -> StreamSession:
        """Connect to the app at `url` (http://host:port) with these cookies and headers."""
        from websockets.asyncio.client import connect

        host = url.split("://", 1)[1]
        extra = {"Origin": url, **headers}
        if cookies:
            extra["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        ws = await connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers=extra,
            max_size=None,
            compression=None,
        )
        return cls(ws, timeout)

    async def close(self) -> None:
        """End the conversation (the server forgets the session)."""
        await self._ws.close()

    async def load(self, path: str = "") -> Run:
        """Open the app at a page's url path, as typing its address would."""
        return await self._rerun(page_name=path)

    async def navigate(self, title: str) -> Run:
        """Open a page from the sidebar by its title (a new page starts without query params)."""
        try:
            script_hash, path = self.pages[title]
        except KeyError:
            raise StreamError(f"no page titled {title!r} in {sorted(self.pages)}") from None
        self.query = ""
        return await self._rerun(page_hash=script_hash, page_name=path)

    async def click(self, label: str, **typed: Any) -> Run:
        """Press the button `label`, with the widgets named in `typed` (label=value) set first.

        A form's submit button sends the typed values with it; a button inside a fragment
        reruns that fragment only.
        """
        button = self._widget(label, "button")
        states = [self._state(self._widget(name, None), value) for name, value in typed.items()]
        states.append(WidgetState(id=button.id, trigger_value=True))
        return await self._rerun(states=states, fragment=button.fragment)

    def _widget(self, label: str, kind: str | None) -> Widget:
        widget = self.widgets.get(label)
        if widget is None or (kind is not None and widget.kind != kind):
            raise StreamError(f"no {kind or 'widget'} labelled {label!r} on the page")
        return widget

    @staticmethod
    def _state(widget: Widget, value: Any) -> WidgetState:
        state = WidgetState(id=widget.id)
        if widget.kind == "number_input":
            if widget.proto.data_type == widget.proto.INT:
                state.int_value = int(value)
            else:
                state.double_value = float(value)
        elif widget.kind in ("text_input", "text_area"):
            state.string_value = str(value)
        elif widget.kind in ("checkbox",):
            state.bool_value = bool(value)
        else:
            raise StreamError(f"setting a {widget.kind} is not supported by this client")
        return state

    async def _rerun(
        self,
        *,
        states: list[WidgetState] | None = None,
        page_hash: str | None = None,
        page_name: str = "",
        fragment: str = "",
    ) -> Run:
        client = ClientState(
            query_string=self.query,
            widget_states=WidgetStates(widgets=states or []),
            page_script_hash=self.page if page_hash is None else page_hash,
            page_name=page_name,
            fragment_id=fragment,
        )
        client.context_info.timezone = "UTC"
        client.context_info.timezone_offset = 0
        client.context_info.locale = "en-US"
        msg = BackMsg()
        msg.rerun_script.CopyFrom(client)
        if not fragment:
            self.widgets = {}  # a full run redraws the page: only its widgets exist after it
        run = Run()
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        await self._receive(run)
        run.seconds = time.perf_counter() - t0
        return run

    async def _receive(self, run: Run) -> None:
        import asyncio

        deadline = time.monotonic() + self._timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise StreamError(f"no script_finished within {self._timeout:g} s")
            data = await asyncio.wait_for(self._ws.recv(), left)
            run.received += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                self._delta(fwd, run)
            elif kind == "new_session":
                self.page = fwd.new_session.page_script_hash
            elif kind == "navigation":
                self.page = fwd.navigation.page_script_hash or self.page
                self.pages = {
                    p.page_name: (p.page_script_hash, p.url_pathname)
                    for p in fwd.navigation.app_pages
                }
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "page_not_found":
                raise StreamError(f"page not found: {fwd.page_not_found.page_name!r}")
            elif kind == "script_finished":
                if fwd.script_finished in _DONE:
                    return
                if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise StreamError("the page's script did not compile")
                # FINISHED_EARLY_FOR_RERUN: the app asked for another run; wait for its end

    def _delta(self, fwd: ForwardMsg, run: Run) -> None:
        delta = fwd.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            raise StreamError(f"the page shows an exception: {element.exception.message[:300]}")
        if kind in _TEXT:
            run.texts.append(getattr(element, kind).body)
            return
        proto = getattr(element, kind) if kind else None
        label = getattr(proto, "label", None) if proto is not None else None
        widget_id = getattr(proto, "id", None) if proto is not None else None
        if isinstance(label, str) and isinstance(widget_id, str) and widget_id:
            self.widgets[label] = Widget(str(kind), widget_id, delta.fragment_id, proto)
