"""The `portal` command (also `python -m portal`)."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from portal.config import ConfigError, example_toml, load_config


class Context:
    """Built lazily so that `portal --help` needs no database."""

    def __init__(self, config_path: str | None):
        self.config_path = config_path
        self._portal = None

    @property
    def config(self):
        return self.portal.config

    @property
    def portal(self):
        if self._portal is None:
            from portal.app import Portal
            self._portal = Portal.from_config(load_config(self.config_path))
        return self._portal


pass_context = click.make_pass_decorator(Context)


@click.group(help="Seoul public-data portal: catalog, ingest and web server.\n\n"
                  "Configuration: config.toml (or --config), overridable by PORTAL_SECTION__KEY "
                  "environment variables; see config.example.toml.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Path of the configuration file (default: ./config.toml when present).")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details.")
@click.pass_context
def cli(ctx, config_path, verbose):
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(config_path)


@cli.command("init-db", help="Create the metadata database or migrate it to the newest "
                             "schema (Alembic), and add the built-in organisations.")
@pass_context
def init_db(ctx: Context):
    from portal.catalog.organisations import seed_organisations
    from portal.db import migrate
    migrate(ctx.config.database_url)
    with ctx.portal.sessions.begin() as session:
        added = seed_organisations(session)
    click.echo(f"database ready: {_safe_url(ctx.config.database_url)}"
               f" ({added} organisations added)")


@cli.command("load-demo", help="Load the bundled demo: the 8,212 Seoul Open Data Plaza "
                               "catalog entries and the real tables in sample_data/. Loads "
                               "nothing twice; a second run only checks.")
@click.option("--without-models", is_flag=True,
              help="Skip the standard models' generated inputs (the slow part of a first load).")
@pass_context
def load_demo(ctx: Context, without_models: bool):
    from portal.demo import load_demo as run
    report = run(ctx.portal, progress=_progress, with_models=not without_models)
    click.echo(report.summary())
    _drain(ctx)


@cli.command(help="Serve the portal (development server; use gunicorn in production: "
                  "gunicorn 'portal.app:create_app()').")
@click.option("--host", help="Listen address (default from [web] host).")
@click.option("--port", type=int, help="Port (default from [web] port).")
@click.option("--debug", is_flag=True, help="Reload on code changes and show debug pages.")
@pass_context
def serve(ctx: Context, host, port, debug):
    from portal.app import create_app
    from portal.sync import start_drainer
    app = create_app(portal=ctx.portal)
    ctx.portal.search.warm()  # load the index caches now, not on the first visitor's query
    start_drainer(ctx.portal, ctx.config.get("search", "drain_interval"))
    app.run(host=host or ctx.config.get("web", "host"), port=port or ctx.config.get("web", "port"),
            debug=debug, threaded=True)


@cli.command(help="Ingest a table file (CSV, XLSX, XLS, JSON) into a dataset. Creates the "
                  "dataset when it does not exist, otherwise adds a table version (none when "
                  "the content is unchanged).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dataset", "slug", required=True, help="Dataset slug, e.g. seoul-cctv-by-gu.")
@click.option("--title", help="Korean title (required for a new dataset).")
@click.option("--title-en", help="English title.")
@click.option("--description", help="Korean description.")
@click.option("--keyword", "keywords", multiple=True, help="Keyword (repeat for several).")
@click.option("--theme", help="One of the 12 Seoul fields, e.g. 인구/가구, 교통, 안전, or 기타.")
@click.option("--kind", help="file, openapi, stats or standard.")
@click.option("--licence", help="KOGL-1 … KOGL-4, KOGL-0, UNRESTRICTED, OTHER, UNKNOWN.")
@click.option("--update-cycle", help="daily, weekly, monthly, quarterly, half-yearly, "
                                     "yearly, irregular, realtime, none.")
@click.option("--owner", help="Owner organisation slug (see `portal orgs`).")
@click.option("--visibility", type=click.Choice(["public", "internal"]))
@click.option("--source", help="Source system (default: upload).")
@click.option("--source-id", help="Identifier at the source, e.g. OA-12615.")
@click.option("--sheet", help="Sheet name of an Excel file (default: the data sheet).")
@pass_context
def ingest(ctx: Context, file: Path, slug: str, sheet, **options):
    from portal.catalog import datasets
    from portal.catalog.errors import IngestError
    from portal.catalog.ingest import ingest_file
    fields = _dataset_fields(options)
    max_bytes = ctx.config.get("ingest", "max_upload_mb") * 1024 * 1024
    try:
        with ctx.portal.sessions.begin() as session:
            if "owner" in fields:
                fields["owner_org_id"] = datasets.organisation_by_slug(
                    session, fields.pop("owner")).id
            dataset = datasets.get_by_slug(session, slug)
            if dataset is None:
                fields.setdefault("title_ko", file.stem)
                dataset = datasets.create_dataset(session, slug, **fields)
            elif fields:
                datasets.update_dataset(session, dataset, **fields)
            outcome = ingest_file(session, ctx.portal.store, dataset, file,
                                  max_bytes=max_bytes, sheet=sheet)
    except (IngestError, datasets.DatasetError) as exc:
        raise click.ClickException(str(exc)) from None
    version = outcome.version
    state = "new version" if outcome.created else "unchanged, no new version"
    click.echo(f"{slug}: version {version.number} ({state}); {version.row_count:,} rows, "
               f"{version.column_count} columns")
    _drain(ctx)


@cli.command(help="Harvest a source (seoul, kosis, mois): create and update its datasets, "
                  "withdraw those it stopped listing, and record the run. Unchanged entries "
                  "write nothing.")
@click.argument("source")
@click.option("--dataset", "source_ids", multiple=True,
              help="Only this entry, by its source ID, e.g. OA-2734 (repeat for several). "
                   "Nothing is withdrawn then.")
@click.option("--dry-run", is_flag=True, help="List and count; change no dataset.")
@click.option("--base-url", help="The source's root URL (default: [harvest] SOURCE_base_url, "
                                   "else the connector's; replay:/seoul for the recordings).")
@click.option("--files-base-url", help="mois: root URL of the mirrored population and "
                                       "LOCALDATA files (default: [harvest] mois_files_base_url).")
@click.option("--tables/--no-tables", default=None,
              help="Fetch and ingest table contents (default: [harvest] tables).")
@pass_context
def harvest(ctx: Context, source, source_ids, dry_run, base_url, files_base_url, tables):
    from portal.harvest import HarvestBusy, harvest as run_harvest
    from portal.harvest.sources import harvestable, open_source
    if source not in harvestable():
        raise click.BadParameter(f"{source!r}: one of {', '.join(harvestable())}",
                                 param_hint="SOURCE")
    overrides = {"files_base_url": files_base_url} if files_base_url else {}
    with open_source(ctx.config, source, base_url=base_url, **overrides) as (connector, options):
        if tables is not None:
            options["tables"] = tables
        try:
            run = run_harvest(ctx.portal, source, connector, dry_run=dry_run,
                              only=source_ids or None, progress=_progress, **options)
        except HarvestBusy as exc:
            raise click.ClickException(f"{exc}; one run per source at a time") from None
    counts = ", ".join(f"{count:,} {name}" for name, count in run.counts().items())
    click.echo(f"harvest {source} #{run.id}: {run.status}{' (dry run)' if dry_run else ''}; "
               f"{counts}")
    if run.error_message:
        click.echo(f"  {run.error_message}", err=True)
    _drain(ctx)
    if run.status == "failed":
        sys.exit(1)


@cli.command(help="Run the harvest scheduler until SIGTERM or SIGINT: each source on its "
                  "cron schedule from [scheduler] in config.toml, jobs kept in the metadata "
                  "database; also drains the search outbox when [search] drain_interval is 0.")
@pass_context
def scheduler(ctx: Context):
    from portal.scheduler import run_forever
    run_forever(ctx.portal, echo=click.echo)


@cli.command(help="Compute the stored table profiles again (after an upgrade of the "
                  "profiler): totals, charts and model matching read them. Table contents "
                  "do not change.")
@click.option("--dataset", "slugs", multiple=True, help="Only this dataset (slug; repeat).")
@pass_context
def reprofile(ctx: Context, slugs):
    from portal.catalog.reprofile import reprofile as run
    counts = run(ctx.portal, list(slugs) or None, progress=_progress)
    click.echo(f"profiles: {counts['changed']:,} changed, {counts['unchanged']:,} unchanged")
    _drain(ctx)


@cli.command(help="Apply pending catalog changes (the outbox) to the search index.")
@pass_context
def sync(ctx: Context):
    _drain(ctx)


@cli.command(help="Maintain the search index: --rebuild recreates it from the database and "
                  "swaps it in atomically; --check compares database and index, reports drift "
                  "and repairs it (--report-only to leave it). Without options: apply pending "
                  "changes, like `portal sync`.")
@click.option("--rebuild", is_flag=True, help="Recreate the whole index from the database.")
@click.option("--check", "check_drift", is_flag=True,
              help="Report and repair drift between database and index.")
@click.option("--report-only", is_flag=True, help="With --check: report drift, change nothing "
                                                  "(exit status 1 when there is drift).")
@pass_context
def index(ctx: Context, rebuild, check_drift, report_only):
    from portal import sync as syncing
    if rebuild:
        count = syncing.rebuild(ctx.portal.sessions, ctx.portal.search)
        click.echo(f"index rebuilt: {count:,} datasets")
    if check_drift:
        report = syncing.check(ctx.portal.sessions, ctx.portal.search, repair=not report_only)
        click.echo(report.summary())
        if report_only and not report.clean:
            raise SystemExit(1)
    if not (rebuild or check_drift):
        _drain(ctx)


def _drain(ctx: Context) -> None:
    from portal import sync as syncing
    report = syncing.drain(ctx.portal.sessions, ctx.portal.search, batch_size=5000)
    if report.entries:
        click.echo(f"search index: {report.indexed:,} indexed, {report.deleted:,} removed "
                   f"({report.entries:,} changes)")


def _dataset_fields(options: dict) -> dict:
    names = {"title": "title_ko", "title_en": "title_en", "description": "description_ko",
             "keywords": "keywords", "theme": "theme", "kind": "kind", "licence": "licence",
             "update_cycle": "update_cycle", "owner": "owner", "visibility": "visibility",
             "source": "source", "source_id": "source_id"}
    fields = {names[key]: value for key, value in options.items() if value}
    if "keywords" in fields:
        fields["keywords"] = list(fields["keywords"])
    return fields


@cli.command(help="List organisations with their slugs and codes.")
@pass_context
def orgs(ctx: Context):
    from portal.catalog import queries
    with ctx.portal.sessions() as session:
        for org in queries.organisations(session):
            depth = len(org.ancestors())
            codes = " ".join(f"{c.code_system}={c.code}" for c in org.codes)
            click.echo(f"{'  ' * depth}{org.slug:<28} {org.name_ko} {codes}")


@cli.command("config-example", help="Print config.example.toml, generated from the declared "
                                    "settings.")
def config_example():
    click.echo(example_toml(), nl=False)


def _add_model_commands() -> None:
    from portal.analysis.commands import model
    cli.add_command(model)


_add_model_commands()


def _progress(items, label: str, length: int | None = None):
    """A progress bar on a terminal, nothing in logs and CI."""
    return click.progressbar(items, label=label, length=length, file=sys.stderr,
                             show_pos=True)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


def main():
    try:
        cli(prog_name="portal")
    except ConfigError as exc:
        click.echo(f"configuration error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
