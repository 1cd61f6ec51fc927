"""Records, the registry, and the rules every connector keeps (codes, no `portal`)."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from connectors import (DatasetRecord, ResourceRecord, SpatialCode, TableContent,
                        connector_class, connector_names, get_connector, vocab)
from connectors.base import HTTP_OPTIONS
from connectors.seoul import catalog_record

ROOT = Path(__file__).resolve().parents[2]


def test_the_codes_are_the_portals_codes():
    from portal.catalog import vocab as portal_vocab
    assert list(vocab.THEMES) == list(portal_vocab.THEMES)
    assert list(vocab.KINDS) == list(portal_vocab.KINDS)
    assert list(vocab.LICENCES) == list(portal_vocab.LICENCES)
    assert list(vocab.UPDATE_CYCLES) == list(portal_vocab.UPDATE_CYCLES)
    assert list(vocab.RESOURCE_KINDS) == list(portal_vocab.RESOURCE_KINDS)


def test_a_record_refuses_codes_the_catalog_does_not_know():
    base = dict(source="x", source_id="1", title_ko="제목")
    for field, value in [("theme", "관광"), ("kind", "sheet"), ("licence", "CC-BY"),
                         ("update_cycle", "hourly")]:
        with pytest.raises(ValueError, match=field.replace("_", "_")):
            DatasetRecord(**base, **{field: value})
    with pytest.raises(ValueError):
        DatasetRecord(source="x", source_id="", title_ko="제목")
    with pytest.raises(ValueError):
        ResourceRecord("a", "download", "http://x")
    with pytest.raises(ValueError):
        SpatialCode("11", "sgis")


def test_a_record_is_plain_data_with_tuples_and_a_dict_form():
    record = DatasetRecord(source="x", source_id="1", title_ko="제목", keywords=["a", "b"],
                           spatial=[SpatialCode("11110", "mois", "종로구")],
                           resources=[ResourceRecord("p", "link", "http://x")])
    assert record.keywords == ("a", "b") and isinstance(record.spatial, tuple)
    data = record.as_dict()
    assert data["spatial"] == [{"code": "11110", "code_system": "mois", "name": "종로구"}]
    assert json.dumps(data, ensure_ascii=False)


def test_table_content_holds_either_a_frame_or_a_file_with_its_name():
    assert not TableContent(frame=pd.DataFrame({"a": ["1"]})).is_file
    assert TableContent(data=b"a,b\n", filename="x.csv").is_file
    with pytest.raises(ValueError):
        TableContent()
    with pytest.raises(ValueError):
        TableContent(data=b"a,b\n")
    with pytest.raises(ValueError):
        TableContent(frame=pd.DataFrame(), data=b"x", filename="x.csv")


def test_every_built_in_connector_is_registered_with_declared_options():
    assert connector_names() == ["kosis", "mois", "seoul"]
    for name in connector_names():
        cls = connector_class(name)
        assert cls.name == name and cls.sources
        for option in (*HTTP_OPTIONS, *cls.options):
            assert option.help.strip(), f"{name}.{option.name} has no help text"
    assert connector_class("mois").sources == ("datagokr", "mois", "localdata")


def test_an_unknown_connector_or_option_is_refused_with_what_is_known():
    with pytest.raises(KeyError, match="seoul"):
        get_connector("nope")
    with pytest.raises(TypeError, match="page_size"):
        get_connector("seoul", pagesize=10, env={})
    with pytest.raises(TypeError, match="timeout"):
        get_connector("seoul", timeout="slow", env={})


def test_keys_come_from_the_environment_only():
    connector = get_connector("kosis", env={"PORTAL_KOSIS_API_KEY": " abc "})
    assert connector.api_key == "abc"
    with pytest.raises(TypeError):
        get_connector("kosis", api_key="abc")


@pytest.mark.parametrize("label, theme", [("문화/관광", "문화/관광"), ("문화관광", "문화/관광"),
                                          ("사회복지", "복지"), ("공공행정", "일반행정"),
                                          ("", "기타"), ("법률", "기타")])
def test_theme_labels_map_to_the_twelve_fields(label, theme):
    assert vocab.theme_from_label(label) == theme


@pytest.mark.parametrize("label, cycle", [("일간", "daily"), ("월 간", "monthly"),
                                          ("수시", "irregular"), ("주기없음", "none"),
                                          ("분기", "quarterly"), ("연간", "yearly"), ("?", None)])
def test_update_cycle_labels_map_to_codes(label, cycle):
    assert vocab.update_cycle_from_label(label) == cycle


@pytest.mark.parametrize("label, licence", [("공공누리 제1유형", "KOGL-1"), ("제 4유형", "KOGL-4"),
                                            ("KOGL-2", "KOGL-2"), ("이용허락범위 제한 없음",
                                                                   "UNRESTRICTED"),
                                            ("", "UNKNOWN"), ("별도 약관", "OTHER")])
def test_licence_labels_map_to_codes(label, licence):
    assert vocab.licence_from_label(label) == licence


def test_seoul_catalog_records_agree_with_portal_load_demo():
    """The harvest and the demo must describe the same entry the same way."""
    from portal.demo import SEOUL_CATALOG, _catalog_dataset
    entries = json.loads((ROOT / "sample_data" / SEOUL_CATALOG).read_text(encoding="utf-8"))
    organisations = defaultdict(int)
    for entry in entries:
        demo = _catalog_dataset(entry, organisations)
        record = catalog_record({"INF_ID": entry["id"], "INF_NM": entry["name"],
                                 "CATE_NM": entry["category"], "DITC_NM": entry["district"],
                                 "MAP_CATE_NM": entry["mapCategory"],
                                 "SRV_TYPE": entry["serviceType"]})
        assert (record.theme, record.kind, list(record.formats), record.licence,
                record.source_url) == (demo.theme, demo.kind, demo.formats, demo.licence,
                                       demo.source_url), entry["id"]


def test_connectors_never_import_the_portal():
    for path in (ROOT / "connectors").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n == "portal" or n.startswith("portal.") for n in names), path
    code = ("import sys, connectors, connectors.seoul, connectors.kosis, connectors.mois, "
            "connectors.replay, connectors.coords; "
            "sys.exit(any(m == 'portal' or m.startswith('portal.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_connector_modules_stay_small():
    for path in (ROOT / "connectors").rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path
