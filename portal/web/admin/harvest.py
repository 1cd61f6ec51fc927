"""The harvest page (수집 관리): each source's schedule, last and next run, the progress of a
running harvest, the run history with failed items, and 지금 실행."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import func, select

from portal import scheduler
from portal.app import db, portal_state
from portal.catalog.models import HarvestItem, HarvestRun
from portal.catalog.queries import Page
from portal.harvest.sources import harvestable
from portal.web.admin import bp, checked
from portal.web.admin.forms import ActionForm

RUNS_PER_PAGE = 20
FAILED_SHOWN = 10  # failed items listed under a run in the history; the run page has all
ITEMS_PER_PAGE = 50
STATUS_KO = {"queued": "대기", "running": "실행 중", "succeeded": "성공",
             "partially_failed": "일부 실패", "failed": "실패"}
TRIGGER_KO = {"cli": "명령줄", "scheduler": "일정", "admin": "관리 화면"}


@dataclass
class SourceState:
    name: str
    schedule: str
    last: HarvestRun | None
    next_run: datetime | None

    @property
    def running(self) -> bool:
        return self.last is not None and self.last.status == "running"


@bp.context_processor
def labels():
    return {"status_ko": lambda code: STATUS_KO.get(code, code),
            "trigger_ko": lambda code: TRIGGER_KO.get(code, code)}


@bp.get("/harvest")
def harvest():
    session, portal = db(), portal_state()
    schedules = scheduler.schedules(portal.config)
    next_runs = scheduler.next_run_times(portal)
    sources = [SourceState(name, schedules.get(name, ""), _last_run(session, name),
                           next_runs.get(name))
               for name in harvestable()]
    page = max(request.args.get("page", 1, type=int), 1)
    total = session.scalar(select(func.count()).select_from(HarvestRun))
    runs = list(session.scalars(select(HarvestRun).order_by(HarvestRun.id.desc())
                                .offset((page - 1) * RUNS_PER_PAGE).limit(RUNS_PER_PAGE)))
    failed = {run.id: _failed_items(session, run.id, limit=FAILED_SHOWN)
              for run in runs if run.failed}
    return render_template("admin/harvest.html", sources=sources, failed=failed,
                           result=Page(runs, total, page, RUNS_PER_PAGE), form=ActionForm(),
                           FAILED_SHOWN=FAILED_SHOWN)


@bp.get("/harvest/runs/<int:run_id>")
def run(run_id: int):
    session = db()
    harvest_run = session.get(HarvestRun, run_id) or abort(404)
    page = max(request.args.get("page", 1, type=int), 1)
    failed = select(HarvestItem).where(HarvestItem.run_id == run_id,
                                       HarvestItem.status == "failed")
    total = session.scalar(select(func.count()).select_from(failed.subquery()))
    items = list(session.scalars(failed.order_by(HarvestItem.id)
                                 .offset((page - 1) * ITEMS_PER_PAGE).limit(ITEMS_PER_PAGE)))
    return render_template("admin/run.html", run=harvest_run,
                           result=Page(items, total, page, ITEMS_PER_PAGE))


@bp.get("/harvest/runs/<int:run_id>.json")
def run_progress(run_id: int):
    """What the progress bar polls: the run's state and counts as committed so far."""
    harvest_run = db().get(HarvestRun, run_id)
    if harvest_run is None:
        return jsonify(error="그런 수집 실행이 없습니다."), 404
    counts = harvest_run.counts()
    return jsonify(id=harvest_run.id, source=harvest_run.source, status=harvest_run.status,
                   trigger=harvest_run.trigger, expected=harvest_run.expected,
                   processed=sum(counts[name] for name in
                                 ("new", "updated", "unchanged", "failed")),
                   **counts,
                   started_at=_iso(harvest_run.started_at),
                   finished_at=_iso(harvest_run.finished_at))


@bp.post("/harvest/<source>/run")
def run_now(source: str):
    if source not in harvestable():
        abort(404)
    if checked(ActionForm()):
        try:
            scheduler.start_harvest_thread(portal_state(), source, trigger="admin")
        except scheduler.HarvestRefused as exc:
            flash(exc.message_ko, "error")
        else:
            flash(f"'{source}' 수집을 시작했습니다. 진행 상황이 아래에 표시됩니다.", "info")
    return redirect(url_for("admin.harvest"))


def _last_run(session, source: str) -> HarvestRun | None:
    return session.scalar(select(HarvestRun).where(HarvestRun.source == source)
                          .order_by(HarvestRun.id.desc()).limit(1))


def _failed_items(session, run_id: int, *, limit: int) -> list[HarvestItem]:
    return list(session.scalars(select(HarvestItem).where(
        HarvestItem.run_id == run_id, HarvestItem.status == "failed")
        .order_by(HarvestItem.id).limit(limit)))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
