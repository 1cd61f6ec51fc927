"""DCAT export (rdflib): the catalog and each dataset as RDF, for harvesters such as CKAN's
ckanext-dcat and the European data portal.

    /catalog.ttl | .jsonld | .rdf        the catalog, 100 datasets a page (?page=2),
                                         paged with hydra:PagedCollection as ckanext-dcat does
    /datasets/<slug>/dcat.ttl | ...      one dataset

The datasets are those the viewer sees in lists (`queries.listed_datasets`), and one
dataset answers the page's 404 when the viewer may not see it: the same rule as every page.
Themes are concepts of the portal's own scheme (the 12 Seoul fields), licences the 공공누리
pages, update cycles the EU frequency vocabulary, places the MOIS codes of the gu.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Flask, Response, abort, request, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from models_std import semantics
from portal.app import current_viewer, db
from portal.catalog import queries, vocab
from portal.catalog.models import Dataset, Organisation
from portal.web.dataset_jsonld import KOGL_URLS
from portal.web.downloads import FORMATS

bp = Blueprint("dcat", __name__)

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
PAGE_SIZE = 100   # as ckanext-dcat's default: a page serialises in well under a second
SERIALISATIONS = {"ttl": ("turtle", "text/turtle"),
                  "jsonld": ("json-ld", "application/ld+json"),
                  "rdf": ("xml", "application/rdf+xml")}
FREQUENCIES = {"realtime": "UPDATE_CONT", "daily": "DAILY", "weekly": "WEEKLY",
               "monthly": "MONTHLY", "quarterly": "QUARTERLY", "half-yearly": "ANNUAL_2",
               "yearly": "ANNUAL", "irregular": "IRREG", "none": "NEVER"}


@bp.get("/catalog.<extension>")
def catalog(extension: str):
    rdf_format, mimetype = SERIALISATIONS.get(extension) or abort(404)
    page = max(request.args.get("page", 1, type=int), 1)
    listed = queries.listed_datasets(current_viewer())
    total = db().scalar(select(func.count()).select_from(listed.subquery())) or 0
    datasets = db().scalars(listed.order_by(Dataset.id).offset((page - 1) * PAGE_SIZE)
                            .limit(PAGE_SIZE)
                            .options(selectinload(Dataset.owner), selectinload(Dataset.resources)))
    graph = new_graph()
    home = URIRef(url_for("home.index", _external=True))
    graph.add((home, RDF.type, DCAT.Catalog))
    graph.add((home, DCTERMS.title, Literal("서울 공공데이터 포털", lang="ko")))
    graph.add((home, DCTERMS.title, Literal("Seoul public-data portal", lang="en")))
    graph.add((home, DCTERMS.language, Literal("ko")))
    for dataset in datasets:
        graph.add((home, DCAT.dataset, add_dataset(graph, dataset)))
    _add_paging(graph, extension, page, total)
    return _serialise(graph, rdf_format, mimetype)


@bp.get("/datasets/<slug>/dcat.<extension>")
def dataset(slug: str, extension: str):
    rdf_format, mimetype = SERIALISATIONS.get(extension) or abort(404)
    found = queries.get_dataset(db(), current_viewer(), slug) or abort(404)
    graph = new_graph()
    add_dataset(graph, found)
    return _serialise(graph, rdf_format, mimetype)


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF),
                              ("skos", SKOS), ("hydra", HYDRA)):
        graph.bind(prefix, namespace)
    return graph


def add_dataset(graph: Graph, dataset: Dataset) -> URIRef:
    node = URIRef(url_for("datasets.show", slug=dataset.slug, _external=True))
    add = graph.add
    add((node, RDF.type, DCAT.Dataset))
    add((node, DCTERMS.identifier, Literal(dataset.slug)))
    add((node, DCTERMS.title, Literal(dataset.title_ko, lang="ko")))
    if dataset.title_en:
        add((node, DCTERMS.title, Literal(dataset.title_en, lang="en")))
    if dataset.description_ko:
        add((node, DCTERMS.description, Literal(dataset.description_ko, lang="ko")))
    for keyword in dataset.keywords or []:
        add((node, DCAT.keyword, Literal(keyword, lang="ko")))
    if dataset.theme:
        add((node, DCAT.theme, _theme(graph, dataset.theme)))
    add((node, DCAT.landingPage, node))
    if dataset.source_url:
        add((node, DCTERMS.source, _iri(dataset.source_url)))
    add((node, DCTERMS.issued, _datetime(dataset.created_at)))
    add((node, DCTERMS.modified, _datetime(dataset.modified_at or dataset.created_at)))
    if dataset.owner is not None:
        add((node, DCTERMS.publisher, _agent(graph, dataset.owner)))
    if dataset.update_cycle in FREQUENCIES:
        add((node, DCTERMS.accrualPeriodicity, FREQUENCY[FREQUENCIES[dataset.update_cycle]]))
    for code in dataset.spatial_coverage or []:
        add((node, DCTERMS.spatial, _place(graph, code)))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        add((node, DCTERMS.temporal, period))
        add((period, RDF.type, DCTERMS.PeriodOfTime))
        for predicate, day in ((DCAT.startDate, dataset.temporal_start),
                               (DCAT.endDate, dataset.temporal_end)):
            if day:
                add((period, predicate, Literal(day.isoformat(), datatype=XSD.date)))
    licence = URIRef(KOGL_URLS[dataset.licence]) if dataset.licence in KOGL_URLS else None
    for resource in dataset.resources:
        _add_resource(graph, node, resource, licence)
    if any(r.table_versions for r in dataset.resources):
        for fmt in FORMATS.values():
            url = URIRef(url_for("downloads.table", slug=dataset.slug, name=fmt.name,
                                 _external=True))
            _add_distribution(graph, node, url, f"{dataset.title_ko} ({fmt.label})", url,
                              fmt.mimetype.split(";")[0], licence)
    return node


def _add_resource(graph, node, resource, licence) -> None:
    if not resource.url:
        return
    url = _iri(resource.url)
    is_file = resource.kind == "file"
    _add_distribution(graph, node, URIRef(f"{node}#resource-{resource.id}"),
                      resource.name, url, None, licence, download=is_file,
                      label=resource.format)


def _add_distribution(graph, node, distribution, title, url, media_type, licence, *,
                      download=True, label=None) -> None:
    add = graph.add
    add((node, DCAT.distribution, distribution))
    add((distribution, RDF.type, DCAT.Distribution))
    add((distribution, DCTERMS.title, Literal(title, lang="ko")))
    add((distribution, DCAT.accessURL, url))
    if download:
        add((distribution, DCAT.downloadURL, url))
    if media_type:
        add((distribution, DCAT.mediaType,
             URIRef(f"https://www.iana.org/assignments/media-types/{media_type}")))
    if label:
        add((distribution, DCTERMS["format"], Literal(label)))
    if licence is not None:
        add((distribution, DCTERMS.license, licence))


def _theme(graph: Graph, theme: str) -> URIRef:
    # The theme's search page names the concept: it lists the theme's datasets.
    concept = URIRef(url_for("search.page", theme=theme, _external=True))
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.prefLabel, Literal(theme, lang="ko")))
    if theme in vocab.THEMES:
        graph.add((concept, SKOS.prefLabel, Literal(vocab.label(vocab.THEMES, theme, "en"),
                                                     lang="en")))
    return concept


def _agent(graph: Graph, org: Organisation) -> URIRef:
    agent = URIRef(url_for("organisations.show", slug=org.slug, _external=True))
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(org.name_ko, lang="ko")))
    if org.name_en:
        graph.add((agent, FOAF.name, Literal(org.name_en, lang="en")))
    return agent


def _place(graph: Graph, code: str) -> BNode:
    place = BNode(f"gu-{code}")
    graph.add((place, RDF.type, DCTERMS.Location))
    graph.add((place, DCTERMS.identifier, Literal(code)))
    district = semantics.SEOUL if code == semantics.SEOUL.mois else \
        semantics.district_by_code(code, semantics.MOIS)
    if district is not None:
        graph.add((place, SKOS.prefLabel, Literal(district.name_ko, lang="ko")))
    return place


def _iri(url: str) -> URIRef:
    # Sources' links may hold spaces or Hangul: percent-encode them, keep what is encoded.
    return URIRef(quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~"))


def _datetime(value) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def _add_paging(graph: Graph, extension: str, page: int, total: int) -> None:
    last = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)

    def page_url(number: int) -> URIRef:
        return URIRef(url_for("dcat.catalog", extension=extension, page=number, _external=True))
    this = page_url(page)
    graph.add((this, RDF.type, HYDRA.PagedCollection))
    graph.add((this, HYDRA.totalItems, Literal(total)))
    graph.add((this, HYDRA.itemsPerPage, Literal(PAGE_SIZE)))
    graph.add((this, HYDRA.firstPage, page_url(1)))
    graph.add((this, HYDRA.lastPage, page_url(last)))
    if page < last:
        graph.add((this, HYDRA.nextPage, page_url(page + 1)))
    if page > 1:
        graph.add((this, HYDRA.previousPage, page_url(page - 1)))


def _serialise(graph: Graph, rdf_format: str, mimetype: str) -> Response:
    return Response(graph.serialize(format=rdf_format), mimetype=mimetype)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
