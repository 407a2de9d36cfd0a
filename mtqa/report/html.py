"""A self-contained HTML report (inline CSS, JS and SVG; no network) that a person can read.

The page is ``templates/report.html.j2`` rendered by Jinja2 with autoescaping: corpus text
only ever reaches it as template values, so it is escaped for its context. The table data
is embedded as JSON with ``<``, ``>``, ``&`` and line separators escaped, and rendered by
the page's script with ``textContent``, never ``innerHTML``. The Content-Security-Policy
allows only that script, by its hash. Large corpora stay usable: the table pages through
its rows in the browser, and the per-article detail is limited to the ``detail_limit``
worst articles (given by the caller), with a note.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from mtqa.detect import all_rules
from mtqa.types import SEVERITY_RANK

if TYPE_CHECKING:
    from mtqa.aggregate import ArticleDetail, RunResult

STATUSES = ("pass", "warn", "fail", "error")
TABLE_COLUMNS = ["article_id", "status", "quality", "est_mqm", "fluency_mean", "findings", "critical", "major", "minor", "words", "bleu"]
_TEXT_COLUMNS = ("article_id", "status")
_CHART_WIDTH = 460


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("mtqa.report", "templates"), autoescape=select_autoescape(["j2", "html"]),
                       trim_blocks=True, lstrip_blocks=True)


@cache
def _asset(name: str) -> str:
    return resources.files("mtqa.report").joinpath("templates", name).read_text("utf-8")


def script_hash() -> str:
    """The CSP source of the page's one script (``sha256-...``)."""
    return "sha256-" + base64.b64encode(hashlib.sha256(_asset("report.js").encode("utf-8")).digest()).decode("ascii")


def json_for_script(data: Any) -> str:
    """JSON safe inside a <script> element: no '</script>', no HTML-significant characters."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, rep)
    return text


def pieces(text: str, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text cut at every finding boundary: each piece with the most severe covering
    finding's severity (``mark``), the codes covering it, and the numbers of the findings
    that end there (their ``n``, else 1-based in ``findings`` order), for the links to their lines."""
    spans = [(int(f["start"]), int(f["end"])) for f in findings]
    cuts = sorted({0, len(text), *(a for a, _ in spans), *(b for _, b in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [i for i, (s, e) in enumerate(spans) if s <= a and b <= e and s < e]
        piece: dict[str, Any] = {"text": text[a:b], "mark": None, "codes": "", "refs": []}
        if covering:
            top = max(covering, key=lambda i: SEVERITY_RANK[findings[i]["severity"]])
            piece.update(mark=findings[top]["severity"], codes=" ".join(sorted({findings[i]["code"] for i in covering})),
                         refs=[findings[i].get("n", i + 1) for i in covering if spans[i][1] == b])
        out.append(piece)
    return out


def bar_chart(pairs: list[tuple[str, float]], title: str, colour: str, axis: str = "", keep_end: bool = False) -> dict[str, Any]:
    """A horizontal bar chart for the template: its labels get the room they need, up to 32
    characters (longer ones keep their start, or with ``keep_end`` their end, as ids differ there)."""
    labels = [label if len(label) <= 32 else ("…" + label[-31:] if keep_end else label[:31] + "…") for label, _ in pairs]
    label_w = 12 + 6.6 * max((len(label) for label in labels), default=0)
    top = max((v for _, v in pairs), default=0) or 1
    room = _CHART_WIDTH - 50
    rows = [{"label": label, "bar": room * value / top, "shown": f"{value:g}", "tip": f"{full}: {value:g}"}
            for label, (full, value) in zip(labels, pairs)]
    return {"title": title, "rows": rows, "colour": colour, "label_w": label_w, "width": label_w + _CHART_WIDTH,
            "height": 20 * len(rows) + (16 if axis else 0), "axis": axis}


def histogram(values: np.ndarray, title: str, lo: float = 0.0, hi: float = 100.0, most_bins: int = 10) -> dict[str, Any]:
    """Counts per bin over the range the values fill (on a 1-2-5 step within [lo, hi]), so
    that a corpus whose articles all score 80-95 is not one bar."""
    values = values[~np.isnan(values)].clip(lo, hi) if len(values) else values
    if not len(values):
        return bar_chart([], title, "#455a64")
    span = max(float(values.max() - values.min()), 1.0)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s <= most_bins)
    start = max(lo, math.floor(values.min() / step) * step)
    stop = min(hi, max(start + step, math.ceil(values.max() / step) * step))
    edges = np.arange(start, stop + step / 2, step)
    counts, _ = np.histogram(values, bins=edges)
    return bar_chart([(f"{a:g}-{b:g}", float(c)) for a, b, c in zip(edges, edges[1:], counts)], title, "#455a64",
                     axis=f"articles per bin of {step:g}")


def render(run: RunResult, table_limit: int = 10_000, detail_limit: int = 200) -> str:
    """The report page: totals, legend, plots, the worst articles' table and the worst articles in detail."""
    s, view = run.summary, run.view
    order: pd.DataFrame = view.worst_articles  # worst first, at most table_limit rows
    total = s["articles"]["total"]
    details = view.detail[:detail_limit]
    anchors = {d.row["article_id"]: f"a{i}" for i, d in enumerate(details)}
    columns = [c for c in TABLE_COLUMNS if c in order.columns]
    table_rows = [{**{c: _plain(r[c]) for c in columns}, "anchor": anchors.get(r["article_id"])}
                  for r in order.head(table_limit).to_dict("records")]
    names = {r.code: r.name for r in all_rules()}
    by_rule = sorted(s["findings"]["by_rule"].items(), key=lambda kv: (-kv[1], kv[0]))[:15]
    charts = [histogram(np.asarray(view.quality, dtype=float), "Articles by quality (0-100, higher is better)")]
    if view.fluency_mean is not None:
        charts.append(histogram(np.asarray(view.fluency_mean, dtype=float), "Articles by mean fluency (0-100)"))
    charts.append(bar_chart([(f"{code} {names.get(code, '')}".strip(), float(n)) for code, n in by_rule], "Findings per rule", "#c62828"))
    worst = order[order.status != "error"].head(10).to_dict("records")
    charts.append(bar_chart([(str(r["article_id"]), float(r["quality"])) for r in worst], "Worst articles (quality)", "#6d4c41",
                            keep_end=True))
    gate = s["gate"]
    return _environment().get_template("report.html.j2").render(
        css=Markup(_asset("report.css")), js=Markup(_asset("report.js")), js_hash=script_hash(),
        counts=s["articles"], statuses=STATUSES, passed=gate["exit_code"] == 0, gate_reasons=gate["reasons"],
        sentences=s["sentences"], words=s["words"], findings_total=s["findings"]["total"], signature=s["signature"]["string"],
        policy=_policy(s), fluency=s.get("fluency") or {}, reference=s.get("reference"), charts=charts, columns=columns,
        table_note=(f"The table lists the {len(order):,} worst of {total:,} articles; the articles table has all."
                    if total > len(order) else ""),
        detail_note=(f"Detail for the {len(details)} worst articles of {total}; the tables have every article."
                     if total > len(details) else ""),
        details=[_detail(d, anchors[d.row["article_id"]]) for d in details],
        data_json=Markup(json_for_script({"columns": columns, "articles": table_rows,
                                          "numeric": [c for c in columns if c not in _TEXT_COLUMNS]})))


def _detail(d: ArticleDetail, anchor: str) -> dict[str, Any]:
    a = d.row
    facts = [f"quality {_show(a.get('quality'))}", f"{_show(a.get('findings'))} findings"]
    if _present(a.get("fluency_mean")):
        facts.append(f"fluency {_show(a['fluency_mean'])}")
    if _present(a.get("bleu")):
        facts.append(f"BLEU {_show(a['bleu'])} chrF {_show(a.get('chrf'))} TER {_show(a.get('ter'))}")
    if a.get("reason"):
        facts.append(str(a["reason"]))
    least = []
    if "fluency" in d.sentences and d.sentences["fluency"].notna().any():
        least = [{k: _show(r.get(k)) for k in ("text", "fluency", "worst_word")}
                 for r in d.sentences.sort_values("fluency").head(3).to_dict("records")]
    findings = [{**f, "n": i + 1, "suggestion": f["suggestion"] if isinstance(f.get("suggestion"), str) else ""}
                for i, f in enumerate(d.findings)]
    source = a.get("source") if isinstance(a.get("source"), str) and a.get("source") else None
    # findings about the source (omissions) are marked in the source text
    in_source = [{**f, "start": f["source_start"], "end": f["source_end"]} for f in findings if _present(f.get("source_start"))]
    return {"anchor": anchor, "id": a["article_id"], "status": a["status"], "facts": facts, "source": source,
            "source_pieces": pieces(source, in_source) if source else [],
            "source_lang": a["source_lang"] if isinstance(a.get("source_lang"), str) else "source",
            "pieces": pieces(d.text, [f for f in findings if not _present(f.get("source_start"))]),
            "findings": findings, "least_fluent": least}


def _policy(s: dict[str, Any]) -> str:
    p = s["gate"].get("policy") or {}
    return f"fail-on {p.get('fail_on')}, min-quality {p.get('min_quality') if p.get('min_quality') is not None else 'off'}"


def _present(value: Any) -> bool:
    return value is not None and value == value


def _show(value: Any) -> str:
    return "" if not _present(value) else str(value)


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
