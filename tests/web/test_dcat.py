"""The DCAT export, read back with rdflib as a harvester would."""
from datetime import date

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from portal.web import dcat
from tests.factories import make_dataset, make_organisation

ADMIN = {"X-Portal-Admin-Token": "test-admin-token"}
# Namespaces are read as attributes (ns.DCAT), never as module globals: pytest inspects a test
# module's globals, and rdflib's closed namespaces warn about every unknown name asked of them.


@pytest.fixture
def catalog(app, seeded):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        division = make_organisation(session, slug="culture", name_ko="문화정책과")
        make_dataset(session, slug="cctv", title_ko="CCTV 설치현황", title_en="CCTV",
                     keywords=["CCTV", "방범"], theme="안전", licence="KOGL-1",
                     update_cycle="yearly", spatial_coverage=["11680"],
                     temporal_start=date(2013, 1, 1), temporal_end=date(2016, 12, 31),
                     with_table=True, store=portal.store)
        make_dataset(session, slug="internal-review", owner=division, internal=True)
    return app.test_client()


def graph_of(response, rdf_format) -> Graph:
    assert response.status_code == 200
    return Graph().parse(data=response.data, format=rdf_format)


@pytest.mark.parametrize("extension, rdf_format, mimetype", [
    ("ttl", "turtle", "text/turtle"), ("jsonld", "json-ld", "application/ld+json"),
    ("rdf", "xml", "application/rdf+xml")])
def test_a_dataset_reads_back_as_dcat_in_every_serialisation(catalog, extension, rdf_format,
                                                             mimetype):
    response = catalog.get(f"/datasets/cctv/dcat.{extension}")
    assert response.mimetype == mimetype
    graph = graph_of(response, rdf_format)
    node = URIRef("http://localhost/datasets/cctv")
    assert (node, ns.RDF.type, ns.DCAT.Dataset) in graph
    assert (node, ns.DCTERMS.title, Literal("CCTV 설치현황", lang="ko")) in graph
    assert set(graph.objects(node, ns.DCAT.keyword)) == {Literal("CCTV", lang="ko"),
                                                    Literal("방범", lang="ko")}
    assert (node, ns.DCTERMS.accrualPeriodicity, dcat.FREQUENCY.ANNUAL) in graph
    downloads = {str(graph.value(d, ns.DCAT.downloadURL))
                 for d in graph.objects(node, ns.DCAT.distribution)}
    assert "http://localhost/datasets/cctv/download/csv" in downloads
    licences = {graph.value(d, ns.DCTERMS.license)
                for d in graph.objects(node, ns.DCAT.distribution)}
    assert licences == {URIRef("https://www.kogl.or.kr/info/licenseType1.do")}
    place = graph.value(node, ns.DCTERMS.spatial)
    assert str(graph.value(place, ns.DCTERMS.identifier)) == "11680"


def test_the_catalog_lists_what_the_viewer_lists_and_pages_like_ckanext_dcat(catalog, app):
    graph = graph_of(catalog.get("/catalog.ttl"), "turtle")
    listed = {str(d) for d in graph.objects(None, ns.DCAT.dataset)}
    assert "http://localhost/datasets/cctv" in listed
    assert not any(d.endswith("/internal-review") for d in listed)
    page = URIRef("http://localhost/catalog.ttl?page=1")
    assert int(graph.value(page, dcat.HYDRA.totalItems)) == len(listed)
    assert graph.value(page, dcat.HYDRA.nextPage) is None
    assert catalog.get("/datasets/internal-review/dcat.ttl").status_code == 404
    admin = graph_of(catalog.get("/catalog.ttl", headers=ADMIN), "turtle")
    assert any(str(d).endswith("/internal-review") for d in admin.objects(None, ns.DCAT.dataset))


def test_pages_follow_each_other_until_the_last(catalog, app, monkeypatch):
    monkeypatch.setattr(dcat, "PAGE_SIZE", 1)
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        make_dataset(session, slug="second")
    first = graph_of(catalog.get("/catalog.jsonld"), "json-ld")
    this = URIRef("http://localhost/catalog.jsonld?page=1")
    following = first.value(this, dcat.HYDRA.nextPage)
    assert following == URIRef("http://localhost/catalog.jsonld?page=2")
    second = graph_of(catalog.get("/catalog.jsonld?page=2"), "json-ld")
    both = set(first.objects(None, ns.DCAT.dataset)) | set(second.objects(None, ns.DCAT.dataset))
    assert len(both) == 2
    assert catalog.get("/catalog.csv").status_code == 404


def test_links_with_spaces_or_hangul_still_make_valid_rdf(catalog, app):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        make_dataset(session, slug="odd-link", source_url="https://example.go.kr/자료 목록?id=1")
    graph = graph_of(catalog.get("/datasets/odd-link/dcat.ttl"), "turtle")
    source = graph.value(URIRef("http://localhost/datasets/odd-link"), ns.DCTERMS.source)
    assert str(source) == "https://example.go.kr/%EC%9E%90%EB%A3%8C%20%EB%AA%A9%EB%A1%9D?id=1"
