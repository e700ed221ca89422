"""The `insight` command: database migrations, questionnaire checks and syncs, and the dev server."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click
from flask import current_app

from survey_app import config, create_app, migrate
from survey_app.db import db_session
from survey_app.definitions import QuestionnaireInvalid, check_paths
from survey_app.models import ROLES

from . import text as text_commands
from .output import fail


def with_appcontext(command):
    """Run the command inside an app built from the environment (DATABASE_URL and friends)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        with create_app().app_context():
            return command(*args, **kwargs)

    return wrapper


@click.group()
def main() -> None:
    """Community Insight: anonymous community-safety surveys.

    Configuration comes from environment variables; see the README.
    """


main.add_command(text_commands.text)


@main.group()
def db() -> None:
    """Database schema migrations (Alembic)."""


@db.command()
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@db.command()
@click.argument("revision")
@with_appcontext
def downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ('base' removes every table)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)


@db.command()
@click.option("-m", "--message", required=True)
@with_appcontext
def revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    migrate.revision(current_app.config["DATABASE_URL"], message)


@db.command("release-responses")
@with_appcontext
def release_responses() -> None:
    """Add every response waiting for its batch to the response tables, in a random order."""
    click.echo(f"{_responses(_release())} added from waiting, in random order")


@db.command("shuffle-responses")
@with_appcontext
def shuffle_responses() -> None:
    """Add the waiting responses, then rewrite every stored response in a random physical order
    (run it nightly)."""
    from survey_app.db import engine
    from survey_app.responses.shuffle import shuffle_responses as shuffle

    released = _release()
    click.echo(
        f"{_responses(released)} added from waiting; {shuffle(engine())} responses rewritten in random order"
    )


def _responses(count: int) -> str:
    return f"{count} response" if count == 1 else f"{count} responses"


def _release() -> int:
    from survey_app.responses.waiting import SealedForAnotherKey, release_waiting

    try:
        return release_waiting(db_session(), current_app.config["SECRET_KEY"])
    except SealedForAnotherKey as error:
        fail(str(error))


@main.group()
def questionnaires() -> None:
    """Check questionnaire files and store them as versions."""


def _default_paths() -> list[Path]:
    return [Path(current_app.config["QUESTIONNAIRES_DIR"])]


@questionnaires.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Check questionnaire files (default: the questionnaires folder); print file:line: message.

    Needs no database, so it can run in an editor hook or CI before anything is installed.
    """
    problems = check_paths(list(paths) or [Path(config.questionnaires_dir())])
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        sys.exit(1)
    click.echo("all questionnaires are valid", err=True)


@questionnaires.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@with_appcontext
def sync(paths: tuple[Path, ...]) -> None:
    """Store changed questionnaire files as new versions (nothing is stored if any file is invalid)."""
    from survey_app.surveys.service import sync_files

    try:
        results = sync_files(db_session(), list(paths) or _default_paths())
    except QuestionnaireInvalid as invalid:
        for problem in invalid.problems:
            click.echo(str(problem))
        click.echo("nothing was stored: fix the problems above and sync again", err=True)
        sys.exit(1)
    for result in results:
        click.echo(f"{result.slug}: {result.status} ({result.content_hash[:12]}) from {result.path}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--debug/--no-debug", default=False)
@with_appcontext
def serve(host: str, port: int, debug: bool) -> None:
    """Run the development server (its log never records client addresses)."""
    import logging

    from werkzeug.serving import run_simple

    from survey_app.security import AnonymousRequestHandler

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    run_simple(
        host,
        port,
        current_app._get_current_object(),
        use_reloader=debug,
        use_debugger=debug,
        threaded=True,
        request_handler=AnonymousRequestHandler,
    )


@main.command()
@with_appcontext
def doctor() -> None:
    """Check that this configuration is safe to serve the public (exit 1 on any problem)."""
    from survey_app.production import checks

    found = checks(current_app._get_current_object())
    for check in found:
        click.echo(str(check))
    if not all(check.ok for check in found):
        click.echo("fix each PROBLEM above, then run insight doctor again", err=True)
        sys.exit(1)


@main.group()
def translations() -> None:
    """The translation workflow: extract, update, compile, status."""


def _translations_dir(value: Path | None) -> Path:
    return value or Path(config.translations_dir())


_dir_option = click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path, file_okay=False),
    help="the translations folder (default: TRANSLATIONS_DIR or translations/)",
)


@translations.command()
@_dir_option
def extract(directory: Path | None) -> None:
    """Write messages.pot and questionnaires.pot from the code, templates and questionnaires."""
    from survey_app import translations as workflow

    workflow.extract(_translations_dir(directory), config.PROJECT_ROOT)
    click.echo(f"templates written to {_translations_dir(directory)}")


@translations.command()
@_dir_option
@click.option("--language", "languages", multiple=True, help="only these language codes")
def update(directory: Path | None, languages: tuple[str, ...]) -> None:
    """Merge new and changed strings into every language's catalogs (creating missing ones)."""
    from survey_app import translations as workflow

    for created in workflow.update(_translations_dir(directory), list(languages) or None):
        click.echo(f"created {created}.po")


@translations.command(name="compile")
@_dir_option
def compile_command(directory: Path | None) -> None:
    """Compile .po catalogs to the .mo files the app reads."""
    from survey_app import translations as workflow

    workflow.compile_all(_translations_dir(directory))


@translations.command()
@_dir_option
@click.option("--check", is_flag=True, help="exit 1 unless every language is 100% translated")
def status(directory: Path | None, check: bool) -> None:
    """Each language's coverage in both domains and its review state."""
    from survey_app import translations as workflow

    rows = workflow.status(_translations_dir(directory))
    click.echo(f"{'language':<16} {'interface':>10} {'questionnaires':>15}  review state")
    for row in rows:
        cells = [
            f"{row.coverage[d].percent:5.1f}% ({row.coverage[d].translated}/{row.coverage[d].total})"
            for d in workflow.DOMAINS
        ]
        click.echo(f"{row.code + ' ' + row.name:<16} {cells[0]:>10} {cells[1]:>15}  {row.review_state}")
    if check and not all(row.complete for row in rows):
        click.echo("some languages are not fully translated", err=True)
        sys.exit(1)


@main.command(name="demo-data")
@click.option("--survey", "slug", required=True, help="the survey's slug, e.g. young-people")
@click.option("--responses", "count", type=click.IntRange(1, 1_000_000), required=True)
@click.option("--seed", type=int, default=0, show_default=True, help="the same seed makes the same data")
@with_appcontext
def demo_data(slug: str, count: int, seed: int) -> None:
    """Add synthetic responses in the wave "demo" (marked synthetic, never mixed with real data)."""
    from survey_app.demo import UnknownSurvey, add_demo_responses

    try:
        added = add_demo_responses(db_session(), slug, count, seed)
    except UnknownSurvey as error:
        fail(str(error))
    click.echo(f"{slug}: added {added} synthetic responses to the wave 'demo'")


@main.command()
@click.option("--survey", "slug", required=True, help="the survey's slug, e.g. young-people")
@click.option("--wave", help="the wave to report (default: the latest real wave)")
@click.option("--compare", "compare_wave", help="a wave to compare with (default: the one before)")
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="folder for the tables (CSV and XLSX) and insights.md",
)
@with_appcontext
def analyse(slug: str, wave: str | None, compare_wave: str | None, output: Path) -> None:
    """Write the tables, with disclosure control, and the SNA statements for one survey."""
    from survey_app.results import AnalysisRefused
    from survey_app.results import analyse as run

    try:
        result = run(db_session(), slug, output, wave=wave, compare_wave=compare_wave)
    except AnalysisRefused as error:
        fail(str(error))
    click.echo(
        f"{slug}: {len(result.report.tables)} tables and {len(result.report.statements)} statements "
        f"from {result.responses} responses written to {output}"
    )


@main.group()
def report() -> None:
    """Documents for people outside the app."""


def _formats(value: str) -> list[str]:
    from survey_app.reports.sna import FORMATS

    chosen = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        fail(
            f"unknown format '{', '.join(unknown) or value}': choose from {', '.join(FORMATS)}, "
            "comma-separated"
        )
    return list(dict.fromkeys(chosen))


@report.command()
@click.option("--wave", required=True, help="the wave to report, e.g. 2026-autumn (demo for the demo data)")
@click.option("--compare", "compare_wave", help="a wave to compare with (default: the one before)")
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="folder for community-insights.html, .pdf and .docx",
)
@click.option(
    "--format", "formats", default="html,pdf,docx", show_default=True, help="comma-separated: html, pdf, docx"
)
@with_appcontext
def sna(wave: str, compare_wave: str | None, output: Path, formats: str) -> None:
    """The SNA "Community Insights" section for one wave of both standard surveys."""
    from survey_app.reports.render import RendererUnavailable, write
    from survey_app.reports.sna import sna_report
    from survey_app.results import AnalysisRefused

    chosen = _formats(formats)
    try:
        content = sna_report(db_session(), wave, compare_wave)
        written = write(content, output, chosen)
    except (AnalysisRefused, RendererUnavailable) as error:
        fail(str(error))
    for path in written:
        click.echo(f"wrote {path}")


@main.group()
def users() -> None:
    """Staff accounts."""


@users.command()
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@with_appcontext
def create(email: str, role: str) -> None:
    """Create a staff account; the password is asked for, or read from standard input."""
    from survey_app.accounts import AccountRefused, create_user

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_user(db_session(), email, password, role)
    except AccountRefused as refused:
        fail(str(refused))
    click.echo(f"created {user.role} account {user.email}")
