"""Command line: `specbind extract | generate | check`. Exit 0 ok, 1 drift, 2 bad input."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .config import Job, load_jobs, package_from_out
from .errors import SpecError
from .format_spec import FormatError, FormatterUnavailable


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="specbind", description="OpenAPI -> typed Python bindings.")
    p.add_argument("--version", action="version", version=f"specbind {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="cut the paths under a prefix, plus what they reference, into a fragment")
    ex.add_argument("source", type=Path)
    ex.add_argument("--path-prefix", required=True)
    ex.add_argument("-o", "--output", type=Path, required=True)

    for name, text in (
        ("generate", "write the generated package(s)"),
        ("check", "exit 1 if generated output is stale"),
    ):
        g = sub.add_parser(name, help=text)
        g.add_argument("--spec", type=Path, help="OpenAPI document (default: [tool.specbind] or the embedded fragment)")
        g.add_argument(
            "--overlay", type=Path, action="append", help="Overlay 1.0 document; repeatable, applied in order"
        )
        g.add_argument("--out", type=Path, help="folder of the generated package")
        g.add_argument("--package", help="import name of the generated package")
        g.add_argument("--job", action="append", help="only this [tool.specbind.jobs] entry; repeatable")
        g.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 2)")
        g.add_argument("--quiet", action="store_true", help="print errors and warnings only")
        g.add_argument(
            "--formatter", choices=("black", "ruff"), help="ruff (default) or black (both pinned; the same bytes)"
        )
        if name == "generate":
            g.add_argument("--explain", action="store_true", help="print each union's dispatch strategy and why")
            g.add_argument(
                "--force", action="store_true",
                help="write into an --out folder that holds files but no specbind manifest "
                "(only specbind's files are written)",
            )  # fmt: skip
    df = sub.add_parser("diff", help="semantic diff of two specs: what changed and whom it breaks")
    df.add_argument("old", type=Path)
    df.add_argument("new", type=Path)
    df.add_argument("--overlay", type=Path, action="append", help="applied to both, in order")
    df.add_argument("--json", action="store_true")
    df.add_argument("--exit-code", action="store_true", help="exit 1 when anything breaks clients or servers")

    vf = sub.add_parser("verify", help="report files in a generated package that were edited by hand")
    vf.add_argument("folder", type=Path)

    sv = sub.add_parser("serve", help="run the reference Conversations server (SQLite)")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--db", default="specbind.db", help="SQLite file (default ./specbind.db); ':memory:' allowed")
    sv.add_argument("--flavor", choices=("openai", "azure"), default="openai")
    sv.add_argument("--max-body-bytes", type=int, default=None, help="largest request body accepted (default 50 MiB)")
    sv.add_argument(
        "--body-timeout", type=float, default=None, help="seconds a request body may take to arrive (default 30)"
    )
    return p


def _serve(args: argparse.Namespace) -> int:
    try:
        from .reference.serve import ServeError, serve
    except ImportError as exc:
        print(f"specbind: error: `serve` needs the serve extra (pip install 'specbind[serve]'): {exc}", file=sys.stderr)
        return 2
    try:
        serve(
            args.host,
            args.port,
            args.db,
            args.flavor,
            max_body_bytes=args.max_body_bytes,
            body_timeout=args.body_timeout,
        )
    except ServeError as exc:
        print(f"specbind: error: {exc}", file=sys.stderr)
        return 2
    return 0


def _surface_of(spec: Path, overlays: list[Path]) -> dict[str, object]:
    from .build import build_api
    from .pipeline import load_spec
    from .surface import surface

    job = Job("diff", spec, Path("."), "diff", tuple(overlays))
    return surface(build_api(load_spec(job), package="diff", spec_name=spec.name))


def _diff(args: argparse.Namespace) -> int:
    from .diff import ADDITIVE, diff_surfaces, render_json, render_text

    changes = diff_surfaces(_surface_of(args.old, args.overlay or []), _surface_of(args.new, args.overlay or []))
    sys.stdout.write(render_json(changes) if args.json else render_text(changes))
    return 1 if args.exit_code and any(c.severity != ADDITIVE for c in changes) else 0


def _verify(args: argparse.Namespace) -> int:
    from .manifest import hand_edited, read_manifest

    manifest = read_manifest(args.folder)
    if manifest is None:
        raise SpecError.one(str(args.folder), "", "no specbind-manifest.json: not a package specbind generated")
    edited = hand_edited(args.folder, manifest)
    for rel in edited:
        print(f"specbind: {args.folder / rel}: edited by hand (or missing)")
    if not edited:
        print(f"specbind: {args.folder}: every file is as specbind wrote it ({manifest.get('generator')})")
    return 1 if edited else 0


def _jobs(args: argparse.Namespace) -> list[Job]:
    jobs = load_jobs()
    if args.job:
        wanted = set(args.job)
        missing = wanted - {j.name for j in jobs}
        if missing:
            raise SpecError.one("pyproject.toml", "/tool/specbind/jobs", f"no job named {', '.join(sorted(missing))}")
        jobs = [j for j in jobs if j.name in wanted]
    if len(jobs) > 1 and (args.out or args.spec or args.package or args.overlay):
        if args.job:
            raise SpecError.one("<command line>", "", "--spec/--out/--package/--overlay need a single --job")
        # An ad-hoc run: start from the job named "default" (or the first one).
        jobs = [next((j for j in jobs if j.name == "default"), jobs[0])]
    cwd = Path.cwd()
    if args.spec and not args.out and not any(j.configured for j in jobs):
        raise SpecError.one(
            "<command line>",
            "",
            "--spec needs --out (the folder to write the package to) here: no [tool.specbind] job says where",
        )
    return [
        j.override(
            spec=args.spec and cwd / args.spec,
            out=args.out and cwd / args.out,
            # A configured job keeps its package; the embedded default takes --out's name.
            package=args.package or (args.out and not j.configured and package_from_out(cwd / args.out)) or None,
            # Overlays belong to a spec: an explicit --spec drops the configured ones.
            overlays=tuple(cwd / o for o in args.overlay) if args.overlay else (() if args.spec else None),
            root=cwd if (args.spec or args.out) else None,
            strict=True if args.strict else None,
            formatter=args.formatter,
        )
        for j in jobs
    ]


def _extract(args: argparse.Namespace) -> int:
    from .extract import dump_yaml, extract
    from .load import load_file
    from .write import write_text_atomic

    doc = load_file(args.source)
    text = dump_yaml(extract(doc, args.path_prefix, args.source.name))
    write_text_atomic(args.output, text)
    print(f"specbind: wrote {args.output}")
    return 0


def _generate(args: argparse.Namespace, check: bool) -> int:
    from .manifest import read_manifest, recorded_warnings, stale_reasons, up_to_date
    from .write import check_target

    jobs = _jobs(args)
    explaining = getattr(args, "explain", False)
    # --quiet: errors and warnings only. Otherwise one summary line per job, and on a
    # terminal each phase as it finishes (stderr, so a pipe of stdout stays clean).
    say = (lambda *_: None) if args.quiet else print
    phases = not args.quiet and sys.stderr.isatty()
    force = getattr(args, "force", False)
    if not check:  # refused before anything is generated or written
        for job in jobs:
            check_target(job.out, job.display(job.out), force)
    # Fast path: inputs and files match the manifest, so the output cannot have changed.
    fresh = {j.name for j in jobs if not explaining and up_to_date(j)}
    for job in jobs:
        if job.name in fresh:
            for line in recorded_warnings(job.out):  # nothing rebuilt, but the document still says it
                print(line, file=sys.stderr)
            say(f"specbind: {job.display(job.out)} is up to date")
    if len(fresh) == len(jobs):
        return 0

    from .diff import diff_surfaces, render_text
    from .errors import Problem
    from .pipeline import explain, generate
    from .progress import Progress, plural
    from .write import MANIFEST, check_overwrites, compare_tree, write_tree

    progress = {j.name: Progress(j.display(j.out), phases) for j in jobs}
    results = [
        (job, generate(job, progress[job.name])) for job in jobs if job.name not in fresh
    ]  # all succeed before any write
    for _, result in results:
        for warning in result.warnings:
            print(warning, file=sys.stderr)
    notes = (
        {}
        if check
        else {job.name: check_overwrites(job.out, job.display(job.out), r.files, force) for job, r in results}
    )
    status = 0
    for job, result in results:
        shown = job.display(job.out)
        if check:
            drifts = compare_tree(job.out, result.files)
            if drifts:
                status = 1
                print(f"specbind: {shown} is stale ({len(drifts)} files):")
                for reason in stale_reasons(job):
                    print(f"  why: {reason}")
                for d in drifts:
                    print(f"  {d.status}: {d.path}")
                for d in drifts:
                    sys.stdout.write(d.diff)
                print(
                    f"specbind: run `specbind generate{' --job ' + job.name if len(results) > 1 else ''}` to update it"
                )
            else:
                say(f"specbind: {shown} is up to date")
            continue
        if explaining:
            sys.stdout.write(explain(result.api))
        previous = read_manifest(job.out)
        if previous and isinstance(previous.get("surface"), dict):
            new_surface = json.loads(result.files[MANIFEST])["surface"]
            changes = diff_surfaces(previous["surface"], new_surface)
            if changes and not args.quiet:
                print(f"specbind: {shown}: API changes since the last generation:")
                sys.stdout.write(render_text(changes))
        for rel, why in notes[job.name]:
            print(Problem(job.display(job.out / rel), None, "", why, "warning"), file=sys.stderr)
        changed = write_tree(job.out, result.files, force)
        progress[job.name].phase(f"wrote {plural(len(changed), 'changed file')}")
        say(f"specbind: {shown}: {len(changed)} files changed" if changed else f"specbind: {shown}: up to date")
    return status


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "diff":
            return _diff(args)
        if args.command == "verify":
            return _verify(args)
        return _generate(args, check=args.command == "check")
    except SpecError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return 2
    except FormatterUnavailable as exc:
        print(f"specbind: error: {exc}", file=sys.stderr)
        return 2
    except FormatError as exc:
        print(f"specbind: internal error: {exc}", file=sys.stderr)
        return 3
    except RecursionError:
        print("specbind: error: the spec nests too deeply to process", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"specbind: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug in specbind: one line, and the traceback on request
        if os.environ.get("SPECBIND_DEBUG"):
            raise
        print(
            f"specbind: internal error: {type(exc).__name__}: {exc} (set SPECBIND_DEBUG=1 for details)", file=sys.stderr
        )
        return 3
