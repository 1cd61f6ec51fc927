"""Division uploads (부서 데이터 등록): a CSV/XLSX/XLS file with its metadata becomes a new
dataset or a new version of an existing one, through the one ingest path `portal ingest`
uses. A rejected file changes nothing: dataset, version and outbox row roll back together."""
from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

from flask import flash, redirect, render_template, url_for
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectChoice

from portal.app import db, portal_state
from portal.catalog import datasets, queries
from portal.catalog.errors import IngestError
from portal.catalog.ingest import ingest_bytes
from portal.web.admin import bp, checked
from portal.web.admin.forms import UploadForm
from portal.web.admin.messages import ingest_error_ko


class UploadRefused(ValueError):
    """The form's values cannot make a dataset; the message is Korean, for the page."""


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    form = UploadForm()
    form.owner.choices = _owner_choices()
    error = None
    if checked(form):
        try:
            slug, number, created = _save(form)
        except UploadRefused as exc:
            error = str(exc)
        except IngestError as exc:
            error = ingest_error_ko(exc)
        else:
            done = (f"{number}번째 버전을 등록했습니다" if created else
                    "내용이 최신 버전과 같아 새 버전을 만들지 않았습니다")
            flash(Markup('{}: <a href="{}">{}</a>').format(
                done, url_for("datasets.show", slug=slug), slug), "info")
            return redirect(url_for("admin.upload"))
    status = 422 if error or form.errors else 200
    return render_template("admin/upload.html", form=form, error=error,
                           max_mb=_max_bytes() // (1024 * 1024)), status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    form = UploadForm(formdata=None)
    form.owner.choices = _owner_choices()
    max_mb = _max_bytes() // (1024 * 1024)
    return render_template("admin/upload.html", form=form, max_mb=max_mb,
                           error=f"파일이 너무 큽니다. {max_mb} MB 이하의 파일만 올릴 수 "
                                 "있습니다."), 413


def _save(form: UploadForm) -> tuple[str, int, bool]:
    """Create or extend the dataset and ingest the file in one transaction."""
    portal = portal_state()
    slug = form.slug.data.strip()
    data = form.file.data.read()
    filename = _plain_name(form.file.data.filename)
    with portal.sessions.begin() as session:
        dataset = datasets.get_by_slug(session, slug)
        if form.mode.data == "new":
            dataset = _create(session, form, slug, dataset)
        elif dataset is None:
            raise UploadRefused(f"데이터셋 주소 '{slug}'인 데이터셋이 없습니다. 주소를 확인하거나 "
                                "'새 데이터셋 만들기'를 고르세요.")
        outcome = ingest_bytes(session, portal.store, dataset, data, filename,
                               max_bytes=_max_bytes())
        return dataset.slug, outcome.version.number, outcome.created


def _create(session, form: UploadForm, slug: str, existing):
    try:
        datasets.check_slug(slug)
    except datasets.DatasetError:
        raise UploadRefused(f"데이터셋 주소 '{slug}': 영문 소문자, 숫자, 하이픈(-)으로 2~120자, "
                            "처음과 끝은 영문자나 숫자로 쓰세요.") from None
    if existing is not None:
        raise UploadRefused(f"데이터셋 주소 '{slug}'는 이미 쓰이고 있습니다. 다른 주소를 쓰거나 "
                            "'기존 데이터셋에 새 버전 추가'를 고르세요.")
    try:
        owner = datasets.organisation_by_slug(session, form.owner.data)
        return datasets.create_dataset(
            session, slug, title_ko=form.title.data.strip(),
            description_ko=(form.description.data or "").strip() or None,
            owner_org_id=owner.id, visibility=form.visibility.data,
            licence=form.licence.data, update_cycle=form.update_cycle.data,
            theme=form.theme.data)
    except datasets.DatasetError as exc:
        raise UploadRefused(f"데이터셋을 만들 수 없습니다: {exc}") from None


def _owner_choices() -> list[SelectChoice]:
    """Organisations as a tree: 서울특별시, its gu and divisions, indented."""
    choices = []
    for org in queries.organisations(db()):
        if org.kind == "external":
            continue  # a division of the city owns an upload, not an outside provider
        choices.append(SelectChoice(org.slug, "\u3000" * len(org.ancestors()) + org.name_ko))
    return choices


def _plain_name(filename: str | None) -> str:
    """The file's own name, without any folder a browser sent (Korean kept, unlike
    werkzeug's secure_filename: the name is shown and kept, never used as a path)."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-200:] or "upload.csv"


def _max_bytes() -> int:
    return portal_state().config.get("ingest", "max_upload_mb") * 1024 * 1024
