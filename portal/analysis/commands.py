"""`portal model list` and `portal model run`: the same run as the web form, from a shell.

The command runs as an administrator (whoever has the shell has the database), so it may
read internal datasets; such a run is stored as internal, like one made on the site.
"""
from __future__ import annotations

import click

from portal.catalog.access import Viewer


@click.group(help="Standard analysis models (표준분석모델): list them, run one on catalog "
                  "datasets and store the run.")
def model():
    pass


@model.command("list", help="List the models with their inputs (required column tags) and "
                            "parameters.")
def list_models():
    from models_std import registry
    specs = registry.all_models()
    if not specs:
        click.echo("no models are registered")
    for spec in specs:
        click.echo(f"{spec.id}  {spec.name_ko} ({spec.name_en}), version {spec.version}")
        for role in spec.inputs:
            optional = ", optional" if role.optional else ""
            click.echo(f"  input {role.name}: {role.label_ko} "
                       f"[{', '.join(sorted(role.required_tags))}{optional}]")
        for parameter in spec.parameters:
            click.echo(f"  param {parameter.name} = {parameter.default!r}  {parameter.label_ko}")


@model.command("run", help="Run MODEL for a gu and a period on catalog datasets, store the "
                           "run and print its id and summary. Example: portal model run "
                           "festival --gu 강동구 --period 2024-01-01:2024-03-31 "
                           "--input events=seoul-oa-15486")
@click.argument("model_id", metavar="MODEL")
@click.option("--gu", required=True, help="The gu: a name (강동구) or the MOIS code (11740).")
@click.option("--period", required=True, help="START:END as dates, e.g. 2024-01-01:2024-03-31.")
@click.option("--input", "inputs", multiple=True, metavar="ROLE=SLUG[@VERSION]",
              help="A dataset for an input role (repeat for each role); @N reads version N "
                   "instead of the newest.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter or weight other than the Seoul default (repeat).")
@click.option("--unit", "unit_id", help="One festival or one 상권 when the model is per unit.")
@click.pass_obj
def run(ctx, model_id, gu, period, inputs, params, unit_id):
    from portal.analysis.inputs import InputChoice, RunInputError
    from portal.analysis.requests import RequestError, parse_gu, parse_period_text
    from portal.analysis.runs import FAILED, UnknownModel, run_model
    try:
        gu_code = parse_gu(gu)
        span = parse_period_text(period)
        choices = {}
        for text in inputs:
            role, slug = _pair(text, "--input")
            choices[role] = InputChoice.parse(role, slug)
        given = dict(_pair(text, "--param") for text in params)
        with ctx.portal.sessions.begin() as session:
            stored = run_model(session, ctx.portal.store, Viewer(is_admin=True, name="cli"),
                               model_id, gu_code=gu_code, period_start=span.start,
                               period_end=span.end, inputs=choices, parameters=given,
                               unit_id=unit_id)
            run_id, status = stored.id, stored.status
            summary, error = list(stored.summary), stored.error_message
    except (UnknownModel, RunInputError, RequestError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"run {run_id}: {status}")
    for sentence in summary:
        click.echo(f"  {sentence}")
    if status == FAILED:
        click.echo(f"  {error}", err=True)
        raise SystemExit(1)


def _pair(text: str, option: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise click.BadParameter(f"{text!r}: write NAME=VALUE", param_hint=option)
    return name.strip(), value.strip()
