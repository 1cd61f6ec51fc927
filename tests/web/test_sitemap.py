"""The sitemap lists what the public sees in lists, whoever asks."""
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from tests.factories import make_dataset, make_organisation

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ADMIN = {"X-Portal-Admin-Token": "test-admin-token"}


def locations(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "application/xml"
    return [loc.text for loc in ET.fromstring(response.data).findall("s:url/s:loc", NS)]


def test_only_listed_public_datasets_are_in_the_sitemap_even_for_an_administrator(app, seeded):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        division = make_organisation(session, slug="culture", name_ko="문화정책과")
        make_dataset(session, slug="festivals", title_ko="축제 목록")
        make_dataset(session, slug="internal-review", owner=division, internal=True)
        make_dataset(session, slug="gone", withdrawn_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    client = app.test_client()
    assert client.get("/datasets/internal-review", headers=ADMIN).status_code == 200
    for headers in ({}, ADMIN):
        urls = locations(client.get("/sitemap.xml", headers=headers))
        assert "http://localhost/datasets/festivals" in urls
        assert not any(u.endswith(("/internal-review", "/gone")) for u in urls)
    root = ET.fromstring(client.get("/sitemap.xml").data)
    festivals = root.find("s:url[s:loc='http://localhost/datasets/festivals']", NS)
    assert festivals.find("s:lastmod", NS) is not None


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    text = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in text and "Disallow: /admin/" in text
