"""data.go.kr and the Ministry of the Interior and Safety (행정안전부, MOIS).

One connector, three kinds of record:
- `datagokr`: the data.go.kr catalogue (odcloud `15077093/v1/…-list`), filtered to MOIS by
  default: metadata only (`fetch_table` gives None);
- `mois`: the resident registration statistics files (`population.py`);
- `localdata`: LOCALDATA business licence files (`localdata.py`), with the helpers that
  read their dates, statuses and EPSG:5174 coordinates.
File records give the file's bytes and name; the portal's ingest reads them.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import date
from urllib.parse import quote

from connectors.base import Connector, DatasetRecord, Option, TableContent, register
from connectors.errors import SourceError
from connectors.mois import datagokr, localdata, population
from connectors.mois.files import read_file

log = logging.getLogger(__name__)

ODCLOUD = "https://api.odcloud.kr/api"
LISTINGS = tuple(datagokr.KIND)
# data.seoul.go.kr's LOCALDATA files start with 개방자치단체코드; localdata.go.kr's full
# downloads put 번호, 개방서비스명 and 개방서비스아이디 in front.
LICENCE_FIRST = ("개방자치단체코드", "번호")


@register
class MoisConnector(Connector):
    name = "mois"
    sources = (datagokr.SOURCE, population.SOURCE, localdata.SOURCE)
    default_base_url = ODCLOUD
    key_env = "PORTAL_DATAGOKR_SERVICE_KEY"
    options = (
        Option("listings", tuple, LISTINGS, "Catalogue lists to read: file-data-list, "
                                            "open-data-list, standard-data-list."),
        Option("conditions", Mapping, {"org_nm::LIKE": "행정안전부"},
               "odcloud filters, column::OP → value (OP: EQ, LIKE, GT, GTE, LT, LTE)."),
        Option("per_page", int, 100, "Catalogue rows per call."),
        Option("with_catalogue", bool, True, "List the data.go.kr catalogue (needs the key)."),
        Option("files_base_url", str, None, "Root URL of the mirrored MOIS and LOCALDATA files "
                                            "(population/…, localdata/…)."),
        Option("population_period", str, None, "Newest month (YYYYMM) to look for population "
                                               "files; default: last month."),
        Option("population_lookback", int, 3, "Months to look back for a population file."),
    )

    def __init__(self, **options):
        super().__init__(**options)
        if self.api_key:
            # The redactor already knows both spellings of the key; requests gets the
            # decoded one and encodes it once.
            self.api_key = datagokr.service_key(self.api_key)
        base = self.settings["files_base_url"]
        self.files = self.make_http(base) if base else None

    # Listing -------------------------------------------------------------------------------

    def list_datasets(self) -> Iterator[DatasetRecord]:
        for spec in population.FILES:
            yield population.record(spec)
        for spec in localdata.FILES:
            yield localdata.record(spec)
        if self.settings["with_catalogue"]:
            for listing in self.settings["listings"]:
                yield from datagokr.catalogue_records(list(self.catalogue_rows(listing)), listing)

    def catalogue_rows(self, listing: str) -> Iterator[dict]:
        """Every row of one catalogue list, page by page, until matchCount is reached."""
        if listing not in datagokr.KIND:
            raise ValueError(f"mois: unknown catalogue list {listing!r}")
        key = self.require_key()
        page, per_page = 1, self.settings["per_page"]
        while True:
            params = {"page": page, "perPage": per_page, "returnType": "JSON",
                      "serviceKey": key}  # decoded: requests encodes it once
            params.update({f"cond[{k}]": v for k, v in (self.settings["conditions"] or {}).items()})
            answer = self.http.get(f"{datagokr.CATALOGUE}/{listing}", params,
                                   parse=lambda r: datagokr.read_answer(r, listing))
            yield from answer.items
            if not answer.items or answer.total is None or page * per_page >= answer.total:
                return
            page += 1

    # Files ---------------------------------------------------------------------------------

    def fetch_table(self, record: DatasetRecord) -> TableContent | None:
        if record.source == population.SOURCE and record.source_id in population.BY_ID:
            return self.population_file(population.BY_ID[record.source_id])
        if record.source == localdata.SOURCE:
            spec = next((f for f in localdata.FILES if f.source_id == record.source_id), None)
            if spec is not None:
                return self.licence_file(spec)
        return None  # catalogue entries are metadata only

    def _files(self):
        if self.files is None:
            raise SourceError(self.name, "not-configured", "no files_base_url: set it to the "
                              "mirror that serves the MOIS and LOCALDATA files")
        return self.files

    def population_file(self, spec: population.PopulationFile) -> TableContent:
        """The newest published file of a population statistic (bytes + filename)."""
        start = self.settings["population_period"] or _last_month(date.today())
        tried = []
        for period in population.months_back(start, self.settings["population_lookback"]):
            filename = spec.filename(period)
            try:
                data = self._files().get(f"population/{quote(filename)}",
                                         parse=lambda r: read_file(r, filename,
                                                                   first_columns=("행정구역",)))
            except SourceError as exc:
                if exc.code != "not-found":
                    raise
                tried.append(period)
                continue
            return TableContent(data=data, filename=filename)
        raise SourceError(self.name, "not-found", f"{spec.statistic} ({spec.variant}): no file "
                          f"for {', '.join(tried)}")

    def licence_file(self, spec: localdata.LicenceFile) -> TableContent:
        data = self._files().get(f"localdata/{quote(spec.filename)}",
                                 parse=lambda r: read_file(r, spec.filename,
                                                           first_columns=LICENCE_FIRST))
        return TableContent(data=data, filename=spec.filename)


def _last_month(today: date) -> str:
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year}{month:02d}"
