"""Command line: ``mtqa score``, ``mtqa rules``, ``mtqa explain``.

Exit codes: 0 passed, 1 gate failed, 2 usage or configuration error,
3 input or model error (some articles could not be scored).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence

from mtqa._version import __version__
from mtqa.config import FAIL_ON, Settings, apply, load_settings
from mtqa.errors import ExitCode, MtqaError, UsageError
from mtqa.progress import Progress
from mtqa.report import formats
from mtqa.report.terminal import print_error, use_colour
from mtqa.types import is_missing

EPILOG = """exit codes:
  0  every article was scored and the gate passed
  1  the gate failed (too many articles at or above --fail-on, or below --min-quality)
  2  usage or configuration error (bad flag, missing column, unknown extension, ...)
  3  input or model error: some articles could not be scored (listed in articles.csv)
  130 interrupted; with --out, the same command with --resume goes on where it stopped

config: [tool.mtqa] in pyproject.toml or an mtqa.toml (nearest one upwards); flags win."""


def _version_text() -> str:
    """The version and the parts of the signature that do not depend on a run's settings."""
    from mtqa import signature
    from mtqa.detect import all_rules

    return f"mtqa {__version__} (rules: {len(all_rules())}, code and data: {signature.data_hash()}, python {sys.version.split()[0]})"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mtqa", description="Machine-translation quality checker for English MT output.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=_version_text())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show tracebacks")

    sc = sub.add_parser("score", parents=[common], help="score a corpus and gate it", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sc.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (walked recursively); - reads stdin")
    sc.add_argument("-f", "--format", choices=formats.NAMES, default="text", help="what to print on stdout (default: text)")
    sc.add_argument("-o", "--out", help="output folder for CSV/JSON/HTML reports (default: reports/)")
    sc.add_argument("--no-write", action="store_true", help="do not write the report files")
    sc.add_argument("--output-format", choices=["csv", "parquet", "both"], default="csv",
                    help="format of the articles/sentences/findings tables in --out (default: csv)")
    sc.add_argument("--resume", action="store_true",
                    help="continue an interrupted run in --out: finished chunks are not scored again")
    sc.add_argument("--chunk-size", type=int, metavar="N",
                    help="articles per chunk: the unit of work, of Dask tasks and of --resume (default: 256)")
    sc.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="local: this machine; dask: tasks on a dask.distributed cluster (default: local)")
    sc.add_argument("-j", "--jobs", type=int, metavar="N",
                    help="local worker processes (default: every core with --no-fluency; 1 with the model, which uses every core itself)")
    sc.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: start a LocalCluster)")
    sc.add_argument("--workers", type=int, metavar="N", help="worker processes of the LocalCluster (default: 2)")
    sc.add_argument("--config", help="config file (default: nearest mtqa.toml or pyproject.toml with [tool.mtqa])")
    sc.add_argument("--select", help="comma-separated rule codes or prefixes to enable (default: all)")
    sc.add_argument("--ignore", help="comma-separated rule codes or prefixes to disable")
    sc.add_argument("--fail-on", choices=FAIL_ON, help="lowest severity that fails an article (default: major)")
    sc.add_argument("--max-failing-articles", metavar="N|P%", help="failing articles tolerated by the gate (default: 0)")
    sc.add_argument("--min-quality", type=float, metavar="Q", help="articles with quality below Q fail (0-100)")
    sc.add_argument("--text-column", help="column/field holding the text (default: text)")
    sc.add_argument("--id-column", help="column/field holding the id (default: id)")
    sc.add_argument("--input-format", choices=["txt", "md", "jsonl", "csv", "tsv", "parquet", "lines"],
                    help="force the input format (e.g. for stdin); lines: one segment a line, as sacrebleu and COMET read them "
                         "(the default for .txt and stdin text with -s/-r)")
    sc.add_argument("-r", "--reference", metavar="REF.txt", help="references, one a line, line-aligned with the input segments (BLEU, chrF, TER)")
    sc.add_argument("-s", "--source", metavar="SRC.txt", help="sources, one a line, line-aligned with the input segments")
    sc.add_argument("--source-lang", metavar="LANG",
                    help="language of the sources that give none (ISO 639-1, e.g. de); default: a langdetect guess, "
                         "one for a -s file, one a row otherwise")
    sc.add_argument("--max-article-chars", type=int, metavar="N",
                    help="longer articles are error rows, not scored (default: 1,000,000)")
    sc.add_argument("--max-file-bytes", type=int, metavar="N",
                    help="read at most this many (decompressed) bytes of a file, then an error row (default: 1 GiB)")
    sc.add_argument("--no-fluency", action="store_true", help="skip the language model (heuristic rules only)")
    sc.add_argument("--no-crosslingual", action="store_true", help="skip the embedding comparison with the source (MT006)")
    sc.add_argument("--model", help="fluency model: smollm2 (default), gemma3-270m, a Hugging Face id, a local folder or a .gguf file")
    sc.add_argument("--device", choices=["auto", "cpu", "cuda"], help="where the model runs (default: auto = CUDA when present)")
    sc.add_argument("--batch-size", type=int, help="at most this many sentences per model batch (default: 16 on a CPU, 4096 on a GPU)")
    sc.add_argument("--batch-tokens", type=int, help="at most this many padded tokens per model batch (default: 4096 on a CPU, 262144 on a GPU)")
    sc.add_argument("--dtype", choices=["auto", "float32", "bfloat16", "float16"],
                    help="model precision (default: auto = bfloat16 on CUDA, float32 on a CPU)")
    sc.add_argument("--compile-lm", action="store_true",
                    help="compile the model (torch.compile): 1.45-1.75x on an H200 after 40-90 s of compilation; for a million sentences or more")
    sc.add_argument("--baseline", metavar="FILE", help="accepted findings (from --write-baseline): only new findings count")
    sc.add_argument("--write-baseline", metavar="FILE", help="write every finding of this run as the accepted baseline")
    sc.add_argument("--show-all", action="store_true", help="list every finding (the text format lists the first 50)")
    sc.add_argument("--statistics", action="store_true", help="counts per rule instead of the list of findings (text format)")
    sc.add_argument("-q", "--quiet", action="store_true", help="print nothing on stdout; the exit code tells")
    sc.add_argument("--no-color", action="store_true", help="no colour (also: NO_COLOR environment variable)")
    sc.add_argument("--no-progress", action="store_true", help="no progress bar")

    ru = sub.add_parser("rules", parents=[common], help="list the rules")
    ru.add_argument("-f", "--format", choices=["text", "json", "markdown"], default="text")
    ev = sub.add_parser("eval", parents=[common], help="measure mtqa against human judgments (MQM, MLQE-PE, DEMETR, the seed)")
    ev.add_argument("kind", choices=["mqm", "mlqepe", "demetr", "seed"],
                    help="mqm: mqm_zhen_*.tsv[.gz]; mlqepe: mlqepe_*.tsv[.gz]; demetr: the demetr/ folder (of ../shared/eval-data); "
                         "seed: a folder with ARTIFACTS.md and its article (../shared/seed)")
    ev.add_argument("path", help="the annotated file (for demetr and seed: the folder)")
    ev.add_argument("--limit", type=int, help="sample this many segments (all systems of each)")
    ev.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    ev.add_argument("--no-fluency", action="store_true", help="rules only")
    ev.add_argument("--with-source", action="store_true", help="give mtqa the source too (mqm, demetr): the source rules run")
    ev.add_argument("--no-crosslingual", action="store_true", help="with --with-source: no embedding comparison (MT006)")
    ev.add_argument("-f", "--format", choices=["text", "json"], default="text")
    ev.add_argument("-q", "--quiet", "--no-progress", action="store_true", help="no progress on stderr")
    gt = sub.add_parser("gate", parents=[common], help="gate a finished run again under another policy (no rescoring)",
                        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    gt.add_argument("out", metavar="OUT_DIR", help="the output folder of a finished `mtqa score` run")
    gt.add_argument("--fail-on", choices=FAIL_ON, help="lowest severity that fails an article (default: the run's, from its summary.json)")
    gt.add_argument("--max-failing-articles", metavar="N|P%", help="failing articles tolerated (default: the run's)")
    gt.add_argument("--min-quality", type=float, metavar="Q", help="articles with quality below Q fail (0-100)")
    gt.add_argument("--config", help="config file (default: nearest mtqa.toml or pyproject.toml with [tool.mtqa])")
    gt.add_argument("-f", "--format", choices=["text", "json", "markdown"], default="text",
                    help="markdown: a job summary for CI (GitHub's $GITHUB_STEP_SUMMARY)")
    ex = sub.add_parser("explain", parents=[common], help="explain one rule")
    ex.add_argument("code", help="rule code (MT301) or name (false-friend)")
    return parser


def _settings_from(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    flags = {
        "select": _csv(args.select), "ignore": _csv(args.ignore), "fail-on": args.fail_on,
        "max-failing-articles": args.max_failing_articles, "min-quality": args.min_quality,
        "text-column": args.text_column, "id-column": args.id_column, "model": args.model,
        "device": args.device, "batch-size": args.batch_size,
        "batch-tokens": args.batch_tokens, "dtype": args.dtype, "compile-lm": True if args.compile_lm else None, "out": args.out,
        "max-article-chars": args.max_article_chars, "max-file-bytes": args.max_file_bytes,
        "fluency": False if args.no_fluency else None, "crosslingual": False if args.no_crosslingual else None,
    }
    apply(settings, {k: v for k, v in flags.items() if v is not None}, "command line")
    return settings


def _csv(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def cmd_score(args: argparse.Namespace) -> int:
    from mtqa.app import RunOptions, score
    from mtqa.pipeline import CHUNK

    settings = _settings_from(args)
    if args.resume and args.no_write:
        raise UsageError("--resume needs the output folder: drop --no-write")

    def on_error(row: dict) -> None:  # type: ignore[type-arg]
        line = row.get("line")
        loc = row["path"] if is_missing(line) else f"{row['path']}:{int(line)}"
        print_error(f"{loc}: {row['reason']}")

    options = RunOptions(
        input_format=args.input_format, write=not args.no_write, output_format=args.output_format,
        progress=Progress.for_terminal(args.quiet or args.no_progress).enabled, resume=args.resume,
        references_file=args.reference, sources_file=args.source, source_lang=args.source_lang,
        chunk_size=args.chunk_size or CHUNK, engine=args.engine, scheduler=args.scheduler, workers=args.workers, jobs=args.jobs,
        baseline=args.baseline,
        write_baseline=args.write_baseline, keep_tables=() if args.quiet else formats.TABLES_NEEDED.get(args.format, ()),
        on_error=on_error)
    run = score(args.paths, settings, options)
    if not args.quiet:
        text = formats.render(args.format, run, colour=use_colour(sys.stdout, args.no_color),
                              show=None if args.show_all else 50, statistics=args.statistics)
        if text:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        if args.format != "text":  # machine output on stdout; the verdict for the person reading the log
            gate = run.summary["gate"]
            print_error(("gate PASSED" if gate["exit_code"] == 0 else "gate FAILED")
                        + (f": {'; '.join(gate['reasons'])}" if gate["reasons"] else ""))
    code = int(run.summary["gate"]["exit_code"])
    if args.write_baseline and code == int(ExitCode.GATE_FAILED):
        return int(ExitCode.OK)  # recording today's findings as accepted is not a failure
    return code


def cmd_rules(args: argparse.Namespace) -> int:
    from mtqa.detect import all_rules

    rules = all_rules()
    if args.format == "json":
        print(json.dumps([{"code": r.code, "name": r.name, "category": r.category, "severity": r.severity.value,
                           "summary": r.summary} for r in rules], indent=2))
        return 0
    if args.format == "markdown":
        print(rules_markdown(rules))
        return 0
    for r in rules:
        print(f"{r.code}  {r.name:<28} {r.severity.value:<8} {r.category:<26} {r.summary}")
    return 0


def rules_markdown(rules: Sequence) -> str:  # type: ignore[type-arg]
    """The rules table of the README."""
    rows = ["| code | name | default severity | category | what it catches |", "|---|---|---|---|---|"]
    rows += [f"| `{r.code}` | `{r.name}` | {r.severity.value} | {r.category} | {r.summary} |" for r in rules]
    return "\n".join(rows)


def cmd_explain(args: argparse.Namespace) -> int:
    from mtqa.detect import get_rule
    from mtqa.detect.registry import rule_params

    r = get_rule(args.code)
    print(f"{r.code} {r.name}\ncategory: {r.category}\ndefault severity: {r.severity.value}\n\n{r.doc}")
    own = rule_params().get(r.code, {})
    if own:
        print("\nparameters (mtqa/data/rules.toml, [" + r.code + "]):")
        for key, value in own.items():
            shown = f"{len(value)} entries" if isinstance(value, list) and len(value) > 8 else repr(value)
            print(f"  {key} = {shown}")
    if r.code in RULE_DATA:
        print(f"\ndata: {RULE_DATA[r.code]}")
    return 0


_LEXICONS = "mtqa/data/lexicons/<lang>.tsv (one row per false friend or calque; columns in mtqa/detect/lexicon.py)"
_LENGTHS = "mtqa/data/length_ratio.json (length ratios of human translations per source language; bench/calibrate_length_ratio.py)"
#: the data files a rule reads besides its parameters, for `mtqa explain`
RULE_DATA = {"MT301": _LEXICONS, "MT302": _LEXICONS, "MT007": _LENGTHS, "MT008": _LENGTHS, "MT010": _LENGTHS,
             "MT006": "mtqa/data/crosslingual.json (the cosine threshold; bench/calibrate_crosslingual.py)",
             "MT001": "mtqa/data/number_words.tsv (number words of source languages, 2-99, 100, 1000)",
             "MT503": "mtqa/data/foreign_words.tsv (common words of ten languages English does not use; bench/build_foreign_words.py)",
             "MT701": "mtqa/data/pinyin_syllables.txt (a doubled Pinyin syllable is a Chinese given name)",
             "MT011": "wordfreq's word lists (how often the source language and English use a word)"}


def cmd_gate(args: argparse.Namespace) -> int:
    """Re-apply a policy to a finished run's articles table; print the verdict; exit as `mtqa score` would."""
    from dataclasses import asdict
    from pathlib import Path

    import pandas as pd

    from mtqa.gate import Policy, gate_table

    settings = load_settings(args.config)
    out = Path(args.out)
    summary_file = out / "summary.json"
    summary = json.loads(summary_file.read_text("utf-8")) if summary_file.is_file() else {}
    scored_with = (summary.get("gate") or {}).get("policy") or {}  # the run's own policy is the default
    settings.fail_on = scored_with.get("fail_on", settings.fail_on)
    settings.min_quality = scored_with.get("min_quality", settings.min_quality)
    settings.max_failing_articles = scored_with.get("max_failing_articles", settings.max_failing_articles)
    flags = {"fail-on": args.fail_on, "max-failing-articles": args.max_failing_articles, "min-quality": args.min_quality}
    apply(settings, {k: v for k, v in flags.items() if v is not None}, "command line")
    columns = ["article_id", "status", "reason", "critical", "major", "minor", "quality"]
    if (out / "articles.parquet").is_file():
        articles = pd.read_parquet(out / "articles.parquet", columns=columns)
    elif (out / "articles.csv").is_file():
        articles = pd.read_csv(out / "articles.csv", usecols=columns, keep_default_na=False, dtype={"article_id": str})
    else:
        raise UsageError(f"{out}: no articles.parquet or articles.csv (the output folder of `mtqa score`)")
    policy = Policy.from_settings(settings)
    gated, verdict = gate_table(articles, policy)
    counts = gated["status"].value_counts().to_dict()
    if args.format == "json":
        print(json.dumps({"policy": asdict(policy), "articles": counts,
                          "gate": verdict.as_dict()}, indent=2, default=str))
    elif args.format == "markdown":
        from mtqa.report.markdown import job_summary

        print(job_summary(gated, verdict, summary))
    else:
        shown = "  ".join(f"{k} {counts.get(k, 0)}" for k in ("pass", "warn", "fail", "error"))
        word = "PASSED" if verdict.exit_code == 0 else "FAILED"
        print(f"mtqa gate {out}: fail-on={policy.fail_on} min-quality={policy.min_quality} "
              f"max-failing-articles={policy.max_failing_articles}\n  status:   {shown}\n  gate:     {word}"
              + (f": {'; '.join(verdict.reasons)}" if verdict.reasons else ""))
    return verdict.exit_code


def cmd_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from mtqa.eval import demetr, mlqepe, mqm, seed

    settings = load_settings(None)
    settings.fluency = not args.no_fluency
    settings.crosslingual = not args.no_crosslingual
    progress = Progress.for_terminal(args.quiet)
    if args.kind == "mqm":
        result = mqm.evaluate_mqm(mqm.read_mqm(args.path, args.limit, args.seed), settings, args.with_source, progress)
        text = mqm.render_mqm(result)
    elif args.kind == "mlqepe":
        result = mlqepe.evaluate_mlqepe(args.path, settings, args.limit, args.seed, progress)
        text = mlqepe.render_mlqepe(result)
    elif args.kind == "seed":
        result = seed.evaluate_seed(args.path, settings)
        text = seed.render_seed(result)
    else:
        folder = Path(args.path)
        result = demetr.evaluate_demetr(str(folder / "demetr_base.tsv"), str(folder / "demetr_perturbations.tsv.gz"),
                                        settings, args.limit, args.seed, args.with_source, progress)
        text = demetr.render_demetr(result)
    print(json.dumps(result, indent=2) if args.format == "json" else text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = {"score": cmd_score, "rules": cmd_rules, "explain": cmd_explain, "eval": cmd_eval, "gate": cmd_gate}[args.command]
    try:
        return handler(args)
    except MtqaError as exc:
        if getattr(args, "debug", False):
            traceback.print_exc()
        print_error(f"error: {exc}")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        resumable = args.command == "score" and not args.no_write
        print_error("interrupted" + ("; finished chunks are kept: add --resume to the same command to go on" if resumable else ""))
        return 130
    except BrokenPipeError:
        return int(ExitCode.OK)
    except Exception as exc:  # a bug: say so in one line unless --debug
        if getattr(args, "debug", False):
            raise
        print_error(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        return int(ExitCode.INPUT)
