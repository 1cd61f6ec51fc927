"""The admin blueprint (관리): harvest runs and schedules, division uploads.

Every page needs an administrator: the `X-Portal-Admin-Token` header, or a browser signed in
at /admin/login with the same token. Every POST carries a CSRF token (Flask-WTF forms).
"""
from __future__ import annotations

from datetime import datetime

from flask import (Blueprint, Flask, abort, jsonify, redirect, render_template, request,
                   url_for)

from portal.app import current_viewer, portal_state
from portal.web.admin import auth
from portal.web.admin.forms import ActionForm, LoginForm
from portal.web.filters import SEOUL

bp = Blueprint("admin", __name__, url_prefix="/admin")
_OPEN = {"admin.login"}  # the one page a signed-out browser may see


@bp.before_request
def require_admin():
    if request.endpoint in _OPEN or current_viewer().is_admin:
        return None
    if request.method == "GET" and not request.path.endswith(".json"):
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    abort(403)


@bp.errorhandler(400)
@bp.errorhandler(403)
def refused(error):
    messages = {400: "요청을 처리할 수 없습니다. 페이지를 새로 고친 뒤 다시 시도하세요.",
                403: "관리자만 쓸 수 있습니다. 관리자 토큰으로 로그인하세요."}
    if request.path.endswith(".json"):
        return jsonify(error=messages[error.code]), error.code
    return render_template("admin/error.html", message=messages[error.code]), error.code


def checked(form) -> bool:
    """validate_on_submit, but a missing or stale CSRF token is a 400, not a form error."""
    if request.method != "POST":
        return False
    valid = form.validate()
    if form.csrf_token.errors:
        abort(400)
    return valid


@bp.get("/")
def index():
    return redirect(url_for("admin.harvest"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    configured = portal_state().config.get("admin", "token")
    form = LoginForm()
    error = None if configured else \
        "관리자 토큰이 설정되지 않아 관리자 화면을 쓸 수 없습니다 (설정 [admin] token)."
    if configured and checked(form):
        if auth.token_matches(configured, form.token.data):
            auth.sign_in(form.token.data)
            return redirect(_local(request.args.get("next")) or url_for("admin.harvest"))
        error = "관리자 토큰이 맞지 않습니다."
    status = 403 if error and request.method == "POST" else 200
    return render_template("admin/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    if checked(ActionForm()):
        auth.sign_out()
    return redirect(url_for("home.index"))


def _local(target: str | None) -> str | None:
    """Only a path on this site is followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") \
            and "\\" not in target:
        return target
    return None


def korean_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    return value.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")


def init_app(app: Flask) -> None:
    from portal.web.admin import harvest, upload  # noqa: F401  (their views join bp)
    from flask_wtf.csrf import generate_csrf
    app.add_template_filter(korean_datetime, "kdatetime")
    app.jinja_env.globals.setdefault("csrf_token", generate_csrf)
    app.register_blueprint(bp)


__all__ = ["bp", "checked", "init_app"]
