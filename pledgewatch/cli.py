"""The `pledgewatch` command: a few named sub-commands over Django's management commands.

Later features add their sub-commands to COMMANDS (name -> management command, summary).
"""

from __future__ import annotations

import importlib
import os
import sys

# Commands that need no database, as module:function, run without starting Django.
PLAIN: dict[str, tuple[str, str]] = {
    "screen": (
        "pledgewatch.finance.cli:main",
        "screen .fec filings, FEC bulk files or CSV/XLSX for conflicting money",
    ),
    "bench-finance": (
        "pledgewatch.finance.bench:main",
        "time the finance screen on real FEC rows (used by `make bench`)",
    ),
}
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("runserver", "run the web app (development server) on 127.0.0.1:8000"),
    "migrate": ("migrate", "create or update the database tables"),
    "load-demo": ("load_demo_data", "create the demo chapters, users and roster (idempotent)"),
    "import-roster": ("import_roster", "import a DSA roster export into a chapter"),
    "bench-roster": ("bench_roster", "time a large roster import (used by `make bench`)"),
    "load-committees": ("load_committees", "load the FEC committee master (cm.txt, cmYY.zip)"),
    "send-reminders": ("send_reminders", "email the committee before filing deadlines (daily)"),
    "worker": ("db_worker", "run background tasks (with TASKS_BACKEND=db)"),
}


def usage() -> str:
    width = max(len(name) for name in [*COMMANDS, *PLAIN, "manage"])
    lines = [
        "usage: pledgewatch COMMAND [ARGS...]",
        "",
        "Pledgewatch runs a DSA chapter's Medicare for All endorsement process.",
        "",
        "commands:",
    ]
    commands = {**COMMANDS, **PLAIN}
    lines += [f"  {name:<{width}}  {summary}" for name, (_cmd, summary) in commands.items()]
    lines += [
        f"  {'manage':<{width}}  any Django management command (pledgewatch manage help)",
        "",
        "`pledgewatch COMMAND --help` describes a command's arguments.",
    ]
    return "\n".join(lines)


def quiet_broken_pipe() -> int:
    """After stdout's reader went away (`pledgewatch ... | head`): exit 1 without a traceback.

    Python's "Note on SIGPIPE": point stdout at devnull, so that the flush at exit does not
    raise BrokenPipeError again.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1


def main(argv: list[str] | None = None) -> int:
    try:
        status = run(sys.argv[1:] if argv is None else argv)
        sys.stdout.flush()  # inside the try: a reader gone away fails here, not at exit
    except BrokenPipeError:
        return quiet_broken_pipe()
    return status


def run(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name in PLAIN:
        module, _, function = PLAIN[name][0].partition(":")
        return getattr(importlib.import_module(module), function)(rest)
    if name != "manage" and name not in COMMANDS:
        print(f"pledgewatch: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
    from django.core.management import execute_from_command_line

    if name == "manage":
        execute_from_command_line(["pledgewatch", *rest])
    else:
        execute_from_command_line(["pledgewatch", COMMANDS[name][0], *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
