"""Static bundles built by Flask-Assets from our own files and pinned npm packages.

Nothing is loaded from a CDN: front-end packages come from `package.json` (installed into
node_modules by `make`), and the bundles are written under portal/static/gen.
"""
from __future__ import annotations

from flask import Flask
from flask_assets import Bundle, Environment

from portal.app import ROOT

NODE_MODULES = ROOT / "node_modules"


def init_app(app: Flask) -> None:
    env = Environment(app)
    env.directory = app.static_folder
    env.url = app.static_url_path
    env.cache = False
    env.manifest = False
    # Fixed output names with the content hash as a query string: browsers refetch only
    # when a bundle really changes.
    env.versions = "hash"
    env.url_expire = True
    env.append_path(app.static_folder)
    env.append_path(str(NODE_MODULES))
    env.register("css_portal", Bundle("css/portal.css", "css/dataset_page.css",
                                      output="gen/portal.css"))
    env.register("js_portal", Bundle("js/suggest.js", output="gen/portal.js"))
    env.register("js_charts", Bundle("chart.js/dist/chart.umd.min.js",
                                     output="gen/charts.js"))
    # The dataset page: charts (Chart.js), the gu choropleth (chartjs-chart-geo, which reads
    # the global Chart), and the gu boundaries with a content-hashed URL.
    env.register("js_chart_geo", Bundle("chartjs-chart-geo/build/index.umd.min.js",
                                        output="gen/chart-geo.js"))
    env.register("js_dataset_page", Bundle("js/dataset_charts.js", "js/map_choropleth.js",
                                           output="gen/dataset-page.js"))
    env.register("geo_seoul_gu", Bundle("geo/seoul_gu_mois.geojson",
                                        output="gen/seoul_gu_mois.geojson"))
    app.jinja_env.globals["asset_url"] = _asset_url_function(app, env)


def _asset_url_function(app: Flask, env: Environment):
    """`asset_url(name)`: a bundle's URL, built when needed. Outside debug mode it is worked
    out once per process: webassets would otherwise check and hash every bundle on every page
    (several milliseconds of each dataset page)."""
    known: dict[str, str] = {}

    def asset_url(name: str) -> str:
        if app.debug or name not in known:
            known[name] = env[name].urls()[0]
        return known[name]
    return asset_url
