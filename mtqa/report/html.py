"""A self-contained HTML report (inline CSS, JS and SVG; no network) that a person can read.

Corpus text is untrusted: every piece of it is escaped for its context (element text,
attribute values) and the table data is embedded as JSON with ``<``, ``>``, ``&`` and
line separators escaped, then rendered with ``textContent``, never ``innerHTML``.
Large corpora stay usable: the table pages through its rows in the browser, and the
per-article detail is limited to the ``detail_limit`` worst articles (given by the caller), with a note.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from typing import TYPE_CHECKING, Any

import pandas as pd

from mtqa.types import SEVERITY_RANK

if TYPE_CHECKING:
    from mtqa.aggregate import RunResult
_COLOURS = {"pass": "#2e7d32", "warn": "#f9a825", "fail": "#c62828", "error": "#6a1b9a"}


def esc(value: Any) -> str:
    return html.escape("" if value is None or value != value else str(value), quote=True)


def json_for_script(data: Any) -> str:
    """JSON safe inside a <script> element: no '</script>', no HTML-significant characters."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, rep)
    return text


def highlight(text: str, findings: list[dict[str, Any]]) -> str:
    """The article text, escaped, with each finding's span in a <mark> (the most severe wins where they overlap)."""
    cuts = sorted({0, len(text), *[int(f["start"]) for f in findings], *[int(f["end"]) for f in findings]})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [f for f in findings if int(f["start"]) <= a and b <= int(f["end"]) and int(f["start"]) < int(f["end"])]
        piece = esc(text[a:b])
        if not covering:
            out.append(piece)
            continue
        top = max(covering, key=lambda f: SEVERITY_RANK[f["severity"]])
        tip = "\n".join(f"{f['code']} {f['name']} ({f['severity']}): {f['message']}"
                        + (f" → {f['suggestion']}" if isinstance(f.get("suggestion"), str) and f["suggestion"] else "")
                        for f in covering)
        codes = " ".join(sorted({f["code"] for f in covering}))
        out.append(f'<mark class="sev-{top["severity"]}" data-code="{esc(codes)}" title="{esc(tip)}" tabindex="0">{piece}</mark>')
    return "".join(out)


def bar_chart(pairs: list[tuple[str, float]], title: str, colour: str = "#1565c0", width: int = 460) -> str:
    """A horizontal bar chart as inline SVG."""
    if not pairs:
        return f"<figure><figcaption>{esc(title)}</figcaption><p class=note>nothing to plot</p></figure>"
    row, label_w = 20, 170
    top = max(v for _, v in pairs) or 1
    bars = []
    for i, (label, value) in enumerate(pairs):
        y = i * row
        w = (width - label_w - 50) * value / top
        shown = label if len(label) <= 28 else "…" + label[-27:]
        bars.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{esc(shown)}</text>'
                    f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{colour}"><title>{esc(label)}: {value:g}</title></rect>'
                    f'<text x="{label_w + w + 4:.1f}" y="{y + 14}">{value:g}</text>')
    height = row * len(pairs)
    return (f'<figure><figcaption>{esc(title)}</figcaption><svg role="img" aria-label="{esc(title)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">{"".join(bars)}</svg></figure>')


def histogram(values: pd.Series, title: str, lo: float = 0, hi: float = 100, bins: int = 10) -> str:
    values = values.dropna()
    if values.empty:
        return bar_chart([], title)
    edges = [lo + (hi - lo) * i / bins for i in range(bins + 1)]
    counts = pd.cut(values.clip(lo, hi), edges, include_lowest=True).value_counts(sort=False)
    return bar_chart([(f"{a:g}-{b:g}", float(c)) for (a, b), c in zip(zip(edges, edges[1:]), counts)], title, "#455a64")


_CSS = """
body{font:14px/1.5 system-ui,"Noto Sans","Noto Sans CJK SC","Noto Sans CJK JP","PingFang SC","Hiragino Sans","Microsoft YaHei","Malgun Gothic",sans-serif;margin:0 auto;max-width:1100px;padding:1em;color:#222}
h1{font-size:1.5em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
.badge{display:inline-block;padding:.1em .6em;border-radius:1em;color:#fff;font-weight:600}
.grid{display:flex;flex-wrap:wrap;gap:1.5em}figure{margin:0}figcaption{font-weight:600}
svg text{font-size:11px;fill:#333}code,.sig{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #eee;padding:.25em .5em;text-align:left}
th{cursor:pointer;background:#fafafa;user-select:none}th[data-dir="asc"]::after{content:" ▲"}th[data-dir="desc"]::after{content:" ▼"}
.article{border:1px solid #ddd;border-radius:6px;padding:.5em 1em;margin:1em 0}
.text{white-space:pre-wrap;background:#fcfcfc;padding:.5em;border-radius:4px}
mark{border-radius:3px;padding:0 1px;cursor:help}mark.sev-critical{background:#ef9a9a;outline:2px solid #c62828}
mark.sev-major{background:#ffcc80}mark.sev-minor{background:#fff59d}
.note{color:#666;font-style:italic}.controls{margin:.5em 0;display:flex;gap:1em;align-items:center}
#tip{position:fixed;display:none;max-width:420px;background:#263238;color:#fff;padding:.5em;border-radius:4px;white-space:pre-wrap;font-size:12px;z-index:9}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}@media (max-width:700px){.pair{grid-template-columns:1fr}}
"""

_JS = """
(function(){
  var data = JSON.parse(document.getElementById('mtqa-data').textContent);
  var rows = data.articles, cols = data.columns, page = 0, per = 100, sortKey = null, dir = 1;
  var body = document.getElementById('rows'), info = document.getElementById('pageinfo');
  var statusSel = document.getElementById('status'), search = document.getElementById('search');
  function filtered(){
    var s = statusSel.value, q = search.value.toLowerCase();
    var out = rows.filter(function(r){ return (!s || r.status === s) && (!q || String(r.article_id).toLowerCase().indexOf(q) >= 0); });
    if (sortKey !== null) out.sort(function(a, b){ var x = a[sortKey], y = b[sortKey];
      if (x === y) return 0; if (x === null || x === undefined) return 1; if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * dir; });
    return out;
  }
  function render(){
    var list = filtered(), pages = Math.max(1, Math.ceil(list.length / per));
    if (page >= pages) page = pages - 1;
    body.textContent = '';
    list.slice(page * per, page * per + per).forEach(function(r){
      var tr = document.createElement('tr');
      cols.forEach(function(c){
        var td = document.createElement('td'), v = r[c];
        if (c === 'article_id' && r.anchor) { var a = document.createElement('a'); a.href = '#' + r.anchor; a.textContent = String(v); td.appendChild(a); }
        else td.textContent = (v === null || v === undefined) ? '' : String(v);
        if (c === 'status') td.className = 'st-' + v;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    info.textContent = list.length + ' article(s), page ' + (page + 1) + ' of ' + pages;
  }
  document.querySelectorAll('#articles th').forEach(function(th){
    th.addEventListener('click', function(){
      var k = th.getAttribute('data-key'); dir = (sortKey === k) ? -dir : 1; sortKey = k;
      document.querySelectorAll('#articles th').forEach(function(o){ o.removeAttribute('data-dir'); });
      th.setAttribute('data-dir', dir === 1 ? 'asc' : 'desc'); render();
    });
  });
  statusSel.addEventListener('change', function(){ page = 0; render(); });
  search.addEventListener('input', function(){ page = 0; render(); });
  document.getElementById('prev').addEventListener('click', function(){ if (page > 0) { page--; render(); } });
  document.getElementById('next').addEventListener('click', function(){ page++; render(); });
  var tip = document.getElementById('tip');
  document.querySelectorAll('mark').forEach(function(m){
    var t = m.getAttribute('title'); m.setAttribute('data-tip', t); m.removeAttribute('title');
    function show(e){ tip.textContent = m.getAttribute('data-tip'); tip.style.display = 'block';
      var r = m.getBoundingClientRect(); tip.style.left = Math.min(r.left, window.innerWidth - 440) + 'px'; tip.style.top = (r.bottom + 4) + 'px'; }
    m.addEventListener('mouseenter', show); m.addEventListener('focus', show); m.addEventListener('click', show);
    m.addEventListener('mouseleave', function(){ tip.style.display = 'none'; });
    m.addEventListener('blur', function(){ tip.style.display = 'none'; });
  });
  render();
})();
"""

TABLE_COLUMNS = ["article_id", "status", "quality", "est_mqm", "fluency_mean", "findings", "critical", "major", "minor", "words", "bleu"]


#: the CSP allows exactly the report's own script (by its hash), never inline script from elsewhere
_JS_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii")


def render(run: RunResult, table_limit: int = 10_000, detail_limit: int = 200) -> str:
    """The report page: totals, plots, the worst articles' table and the worst articles in detail."""
    s = run.summary
    view = run.view
    order: pd.DataFrame = view.worst_articles  # worst first, at most table_limit rows
    total = s["articles"]["total"]
    detailed = [d.row["article_id"] for d in view.detail[:detail_limit]]
    anchors = {a: f"a{i}" for i, a in enumerate(detailed)}
    cols = [c for c in TABLE_COLUMNS if c in order.columns]
    table_rows = [{**{c: _plain(r[c]) for c in cols}, "anchor": anchors.get(r["article_id"])}
                  for r in order.head(table_limit).to_dict("records")]
    gate = s["gate"]
    verdict = "PASSED" if gate["exit_code"] == 0 else "FAILED"
    counts = s["articles"]
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src '{_JS_HASH}'; img-src data:\">",
        f"<title>mtqa report: {counts['total']} articles</title><style>{_CSS}</style></head><body>",
        "<h1>mtqa report</h1>",
        f"<p><span class=badge style=\"background:{'#2e7d32' if verdict == 'PASSED' else '#c62828'}\">gate {verdict}</span> "
        + " ".join(f"<span class=badge style=\"background:{_COLOURS[k]}\">{k} {counts[k]}</span>" for k in ("pass", "warn", "fail", "error"))
        + "</p>",
        "<ul>" + "".join(f"<li>{esc(r)}</li>" for r in gate["reasons"]) + "</ul>" if gate["reasons"] else "",
        f"<p>{counts['total']} articles, {s['sentences']} sentences, {s['words']} words, {s['findings']['total']} findings.</p>",
        f"<p class=sig>signature: {esc(s['signature']['string'])}</p>",
        _fluency_line(s),
        _reference_line(s),
        "<h2>Overview</h2><div class=grid>",
        histogram(pd.Series(view.quality), "Articles by quality (0-100)"),
        histogram(pd.Series(view.fluency_mean), "Articles by mean fluency (0-100)") if view.fluency_mean is not None else "",
        bar_chart(sorted(((k, float(v)) for k, v in s["findings"]["by_rule"].items()), key=lambda kv: -kv[1])[:15], "Findings per rule", "#c62828"),
        bar_chart([(str(r["article_id"]), float(r["quality"])) for r in order[order.status != "error"].head(10).to_dict("records")],
                  "Worst articles (quality)", "#6d4c41"),
        "</div>",
        "<h2>Articles</h2><div class=controls><label>status <select id=status><option value=''>all</option>"
        + "".join(f"<option>{k}</option>" for k in ("fail", "warn", "pass", "error"))
        + "</select></label><label>id <input id=search type=search></label>"
        "<button id=prev type=button>previous</button><button id=next type=button>next</button><span id=pageinfo></span></div>",
        "<table id=articles><thead><tr>" + "".join(f"<th data-key=\"{esc(c)}\">{esc(c)}</th>" for c in cols) + "</tr></thead><tbody id=rows></tbody></table>",
    ]
    if total > len(order):
        parts.append(f"<p class=note>The table lists the {len(order):,} worst of {total:,} articles; the articles table has all.</p>")
    parts.append("<h2>Articles in detail</h2>")
    if total > len(detailed):
        parts.append(f"<p class=note>Detail for the {len(detailed)} worst articles of {total}; the tables have every article.</p>")
    for d in view.detail[:detail_limit]:
        art = d.row["article_id"]
        parts.append(_article_section(art, anchors[art], d.row, d.text, d.findings, d.sentences))
    parts.append(f"<div id=tip role=tooltip></div><script type=application/json id=mtqa-data>{json_for_script({'columns': cols, 'articles': table_rows})}</script>")
    parts.append(f"<script>{_JS}</script></body></html>")
    return "\n".join(p for p in parts if p)


def _article_section(art: str, anchor: str, a: dict[str, Any], text: str, found: list[dict[str, Any]], sents: Any) -> str:
    colour = _COLOURS.get(a["status"], "#555")
    head = (f'<section class=article id="{anchor}"><h3><span class=badge style="background:{colour}">{esc(a["status"])}</span> '
            f"{esc(art)}</h3><p>quality {esc(a.get('quality'))} · {esc(a.get('findings'))} findings"
            + (f" · fluency {esc(a.get('fluency_mean'))}" if a.get("fluency_mean") == a.get("fluency_mean") and a.get("fluency_mean") is not None else "")
            + (f" · BLEU {esc(a.get('bleu'))} chrF {esc(a.get('chrf'))} TER {esc(a.get('ter'))}" if a.get("bleu") == a.get("bleu") and a.get("bleu") is not None else "")
            + (f" · {esc(a.get('reason'))}" if a.get("reason") else "") + "</p>")
    worst = ""
    if "fluency" in sents and sents["fluency"].notna().any():
        low = sents.sort_values("fluency").head(3)
        worst = "<p>Least fluent sentences:</p><ol>" + "".join(
            f"<li>{esc(r['text'])} <span class=note>(fluency {esc(r['fluency'])}; worst word {esc(r.get('worst_word'))})</span></li>"
            for r in low.to_dict("records")) + "</ol>"
    source = a.get("source")
    body = f'<div class=text>{highlight(text, found)}</div>'
    if isinstance(source, str) and source:  # source and translation side by side
        lang = esc(a.get("source_lang")) if isinstance(a.get("source_lang"), str) else "source"
        body = (f'<div class=pair><div><p class=note>source ({lang})</p><div class=text lang="{lang}">{esc(source)}</div></div>'
                f'<div><p class=note>translation</p>{body}</div></div>')
    return head + body + worst + "</section>"


def _fluency_line(s: dict[str, Any]) -> str:
    fl = s.get("fluency") or {}
    if fl.get("enabled"):
        return f"<p>Fluency model: {esc(fl.get('model'))}, mean sentence fluency {esc(fl.get('mean'))}.</p>"
    return f"<p class=note>Fluency model off ({esc(fl.get('reason'))}).</p>"


def _reference_line(s: dict[str, Any]) -> str:
    ref = s.get("reference")
    if not ref:
        return ""
    return (f"<p>Against references ({ref['segments']} segments): BLEU {esc(ref['bleu'])}, chrF {esc(ref['chrf'])}, "
            f"TER {esc(ref['ter'])} <span class=sig>{esc(ref['bleu_signature'])}</span></p>")


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
