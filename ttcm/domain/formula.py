"""The formulas of `ttcm/rules/formulas.json`: one definition per derived metric, evaluated and
explained with this row's inputs ("ER = (likes 1,204 + comments 88 + shares 41) ÷ views 18,330 =
7.27%"), or why the value is unavailable ("ER is unavailable: views is 0").

A formula is data (see the file's `_about`); this module is its only interpreter, so a page, the
CSV and the HTML report show the same sentence the number was computed with. docs/decisions.md §13.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ttcm import rules
from ttcm.domain import format as numfmt
from ttcm.domain.cells import Cell, Row

Inputs = Mapping[str, Cell | Sequence[Row]]
Node = object  # a formula tree as read from JSON: str | {op: args}; narrowed where it is read

HOW = "ⓘ how is this computed"  # the expander's title on every page (found by this text)
_PRECEDENCE = {"sum": 1, "minus": 1, "multiply": 2, "divide": 2}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_SIGN = {"sum": " + ", "minus": " − ", "multiply": " × ", "divide": " ÷ "}


@dataclass(frozen=True)
class Gap:
    """One input that keeps a metric from being computed."""

    input: str
    label: str
    kind: str  # "missing", "zero", or "none_counted" (no item of a list has it)
    items: int = 0

    @property
    def text(self) -> str:
        """'views is missing', 'views is 0', 'median views is unknown for all 3 creators'."""
        if self.kind == "zero":
            return f"{self.label} is 0"
        if self.kind == "none_counted":
            if not self.items:
                return "there are no creators"
            if self.items == 1:
                return f"{self.label} is unknown for the only creator"
            return f"{self.label} is unknown for all {numfmt.plural(self.items, 'creator')}"
        return f"{self.label} is missing"


@dataclass(frozen=True)
class Computed:
    """A metric's value (a fraction for %), with the items a sum over a list left out."""

    metric: str
    value: float
    currency: str | None = None
    left_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class Missing:
    """A metric that cannot be computed, and the inputs that are missing or 0."""

    metric: str
    gaps: tuple[Gap, ...]

    @property
    def reason(self) -> str:
        """'views is missing' (every gap, comma-separated)."""
        return ", ".join(g.text for g in self.gaps)


class _Short(Exception):
    def __init__(self, gaps: list[Gap]) -> None:
        super().__init__("gaps")
        self.gaps = gaps


def metrics() -> Mapping[str, Mapping[str, object]]:
    """Every metric of `formulas.json` by id."""
    table: Mapping[str, Mapping[str, object]] = rules.formulas()["metrics"]
    return table


def spec(metric_id: str) -> Mapping[str, object]:
    """One metric's definition; a KeyError names an unknown id."""
    table = metrics()
    if metric_id not in table:
        raise KeyError(f"No formula for {metric_id!r} in ttcm/rules/formulas.json.")
    return table[metric_id]


def _input_spec(metric_id: str, name: str) -> Mapping[str, str]:
    specs = spec(metric_id)["inputs"]
    assert isinstance(specs, Mapping)
    found: Mapping[str, str] | None = specs.get(name)
    return found or {"label": name.replace("_", " "), "unit": "count"}


def _op(node: Mapping[str, object]) -> tuple[str, object]:
    """The one operator of a formula node and its argument (a sum over a list: the node)."""
    if "each" in node:
        return "each", node
    if "median" in node:
        return "median", node
    ((op, args),) = node.items()
    return str(op), args


def _precedence(node: object) -> int:
    return _PRECEDENCE.get(_op(node)[0], 3) if isinstance(node, Mapping) else 3


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _currency(inputs: Inputs, key: str) -> str | None:
    value = inputs.get(key)
    return value.upper() if isinstance(value, str) and value else None


class _Run:
    """One evaluation of a metric over one set of inputs (nested metrics included)."""

    def __init__(self, metric_id: str, inputs: Inputs) -> None:
        self.metric_id = metric_id
        self.inputs = inputs
        self.left_out: list[str] = []

    def nonzero(self, metric_id: str) -> Sequence[str]:
        names = spec(metric_id).get("nonzero") or []
        assert isinstance(names, list)
        return names

    def ref(
        self, metric_id: str, name: str, inputs: Inputs, *, bare: bool = False
    ) -> tuple[float, str]:
        """The value of input `name` and how it reads ('views 18,330'; '18,330' when bare)."""
        info = _input_spec(metric_id, name)
        label = _label(info, inputs)
        computed_by = info.get("computed_by")
        if name not in inputs and computed_by:
            value, text = self.node(computed_by, spec(computed_by)["formula"], inputs)
            if _precedence(spec(computed_by)["formula"]) < 3:
                text = f"({text})"
        else:
            number = _number(inputs.get(name))
            if number is None:
                raise _Short([Gap(name, label, "missing")])
            shown = self.shown(metric_id, info, number, inputs)
            value, text = number, (shown if bare else f"{label} {shown}")
        if value == 0 and name in self.nonzero(metric_id):
            raise _Short([Gap(name, label, "zero")])
        return value, text

    def shown(self, metric_id: str, info: Mapping[str, str], value: float, inputs: Inputs) -> str:
        """An input's value in its unit."""
        unit = info.get("unit", "count")
        if unit == "money":
            key = info.get("currency") or str(spec(metric_id).get("currency") or "currency")
            return numfmt.money(value, _currency(inputs, key), per_unit=True)
        return _formatted(unit, value, None)

    def node(self, metric_id: str, node: Node, inputs: Inputs) -> tuple[float, str]:
        """(value, text) of one formula node; raises _Short with every gap found."""
        if isinstance(node, str):
            return self.ref(metric_id, node, inputs)
        assert isinstance(node, Mapping)
        op, args = _op(node)
        if op == "const":
            assert isinstance(args, int | float)
            return float(args), numfmt.decimal(args)
        if op == "each":
            return self.each(metric_id, node, inputs)
        if op == "median":
            return self.median(metric_id, node, inputs)
        assert isinstance(args, list)
        parts: list[tuple[float, str]] = []
        gaps: list[Gap] = []
        for arg in args:
            try:
                parts.append(self.node(metric_id, arg, inputs))
            except _Short as short:
                gaps.extend(g for g in short.gaps if g not in gaps)
        if gaps:
            raise _Short(gaps)
        pairs = enumerate(zip(args, parts, strict=True))
        texts = [_wrap(op, arg, text, i) for i, (arg, (_, text)) in pairs]
        return _apply(op, [v for v, _ in parts]), _SIGN[op].join(texts)

    def each(self, metric_id: str, node: Mapping[str, object], inputs: Inputs) -> tuple[float, str]:
        """A sum over the items of a list input; items lacking an input are left out, named."""
        key = node["each"]
        assert isinstance(key, str)
        term = node["sum_of"]
        items = inputs.get(key)
        listed = items if isinstance(items, list | tuple) else []
        rows = [r for r in listed if isinstance(r, Mapping)]
        total = 0.0
        terms: list[str] = []
        last: list[Gap] = []
        for i, row in enumerate(rows):
            name = _item_name(row, i)
            try:
                if isinstance(term, str):
                    value, text = self.ref(metric_id, term, row, bare=True)
                else:
                    value, text = self.node(metric_id, term, row)
            except _Short as short:
                last = short.gaps
                self.left_out.append(f"{name} ({', '.join(g.text for g in short.gaps)})")
                continue
            total += round(value) if node.get("whole") else value
            terms.append(f"{name} {text}" if isinstance(term, str) else f"{name} ({text})")
        if not terms:
            gap = last[0] if last else Gap(key, key, "none_counted")
            raise _Short([Gap(gap.input, gap.label, "none_counted", len(rows))])
        head = f"{_input_spec(metric_id, term)['label']} of " if isinstance(term, str) else ""
        return total, head + " + ".join(terms)

    def median(
        self, metric_id: str, node: Mapping[str, object], inputs: Inputs
    ) -> tuple[float, str]:
        """The median of an input over the items of a list that have it; the others left out."""
        key, term = node["median"], node["of"]
        assert isinstance(key, str) and isinstance(term, str)
        items = inputs.get(key)
        rows = [
            r for r in (items if isinstance(items, list | tuple) else []) if isinstance(r, Mapping)
        ]
        values: list[float] = []
        terms: list[str] = []
        for i, row in enumerate(rows):
            try:
                value, text = self.ref(metric_id, term, row, bare=True)
            except _Short as short:
                self.left_out.append(f"{_item_name(row, i)} ({short.gaps[0].text})")
                continue
            values.append(value)
            terms.append(f"{_item_name(row, i)} {text}")
        if not values:
            label = _input_spec(metric_id, term)["label"]
            raise _Short([Gap(term, label, "none_counted", len(rows))])
        head = f"median {_input_spec(metric_id, term)['label']} of "
        return statistics.median(values), head + ", ".join(terms)


def _wrap(op: str, arg: object, text: str, position: int) -> str:
    """`text` in parentheses where reading left to right would change its meaning."""
    inner, outer = _precedence(arg), _PRECEDENCE[op]
    right_side = op in ("divide", "minus") and position > 0 and inner == outer
    return f"({text})" if inner < outer or right_side else text


def _label(info: Mapping[str, str], inputs: Inputs) -> str:
    """An input's label, its {placeholders} filled with the inputs' codes ('EUR per USD')."""
    return _PLACEHOLDER.sub(lambda m: _currency(inputs, m.group(1)) or m.group(1), info["label"])


def _item_name(row: Row, position: int) -> str:
    handle = row.get("handle_name")
    if isinstance(handle, str) and handle:
        return f"@{handle}"
    name = row.get("name")
    return str(name) if name else f"item {position + 1}"


def _apply(op: str, values: list[float]) -> float:
    first, rest = values[0], values[1:]
    for v in rest:
        if op == "sum":
            first += v
        elif op == "minus":
            first -= v
        elif op == "multiply":
            first *= v
        else:
            first /= v
    return first


def _formatted(unit: str, value: float, currency: str | None) -> str:
    if unit == "%":
        return numfmt.percent(value)
    if unit == "money":
        return numfmt.money(value, currency, per_unit=True)
    if unit == "per_usd":
        return numfmt.significant(value)
    return numfmt.count(value) if float(value).is_integer() else numfmt.decimal(value)


def _result_currency(metric_id: str, inputs: Inputs) -> str | None:
    if spec(metric_id).get("unit") != "money":
        return None
    return _currency(inputs, str(spec(metric_id).get("currency") or "currency"))


def _run(metric_id: str, inputs: Inputs) -> tuple[Computed | Missing, str]:
    run = _Run(metric_id, inputs)
    formula = spec(metric_id)["formula"]
    try:
        value, text = run.node(metric_id, formula, inputs)
    except _Short as short:
        return Missing(metric_id, tuple(short.gaps)), ""
    computed = Computed(metric_id, value, _result_currency(metric_id, inputs), tuple(run.left_out))
    return computed, text


def evaluate(metric_id: str, inputs: Inputs) -> Computed | Missing:
    """The metric computed from `inputs`, or which inputs are missing or 0."""
    return _run(metric_id, inputs)[0]


def value_text(result: Computed) -> str:
    """A computed value in its metric's unit: '7.27%', '0.0075 USD', '12,000'."""
    unit = str(spec(result.metric).get("unit") or "count")
    if unit == "count":
        return numfmt.count(result.value)
    return _formatted(unit, result.value, result.currency)


def explain(metric_id: str, inputs: Inputs) -> str:
    """The formula filled with `inputs` and its result, or why the metric is unavailable."""
    result, text = _run(metric_id, inputs)
    short = str(spec(metric_id)["short"])
    if isinstance(result, Missing):
        return f"{short} is unavailable: {result.reason}"
    note = spec(metric_id).get("note")
    if isinstance(spec(metric_id)["formula"], str) and note:
        return f"{short} = {value_text(result)} ({note})"
    sentence = f"{short} = {text} = {value_text(result)}"
    if result.left_out:
        sentence += f"; not counted: {'; '.join(result.left_out)}"
    return sentence


def describe(metric_id: str) -> str:
    """The formula in words, without values: 'ER = engagements ÷ views'."""

    def words(node: object) -> str:
        if isinstance(node, str):
            return _label(_input_spec(metric_id, node), {})
        assert isinstance(node, Mapping)
        op, args = _op(node)
        if op == "const":
            return numfmt.decimal(args)
        if op == "each":
            return f"sum over the {node['each']} of {words(node['sum_of'])}"
        if op == "median":
            return f"median over the {node['median']} of {words(node['of'])}"
        assert isinstance(args, list)
        return _SIGN[op].join(_wrap(op, a, words(a), i) for i, a in enumerate(args))

    note = spec(metric_id).get("note")
    text = f"{spec(metric_id)['short']} = {words(spec(metric_id)['formula'])}"
    return f"{text} ({note})" if note else text
