"""Error pages in Korean; never a stack trace on a page."""
from __future__ import annotations

import logging

from flask import Flask, render_template

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(_error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(error):
        log.error("internal error: %s", error)
        return render_template("errors/500.html"), 500
