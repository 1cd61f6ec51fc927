"""Source connectors: fetch, parse and map one source to records and tables.

    from connectors import get_connector
    seoul = get_connector("seoul")            # key from PORTAL_SEOUL_API_KEY
    for record in seoul.list_datasets(): ...
    table = seoul.fetch_table(record)         # TableContent, or None

Built in: `seoul` (Seoul Open Data Plaza), `kosis` (KOSIS), `mois` (data.go.kr catalogue,
MOIS resident registration files, LOCALDATA licences). See docs/connectors.md.
Connectors never import `portal`; the portal imports them.
"""
from connectors.base import (Connector, CoordinateColumns, DatasetRecord, Option,
                             ResourceRecord, SpatialCode, TableContent, connector_class,
                             connector_names, get_connector, register)
from connectors.errors import AuthError, QuotaExceeded, SourceError

__all__ = ["AuthError", "Connector", "CoordinateColumns", "DatasetRecord", "Option",
           "QuotaExceeded", "ResourceRecord", "SourceError", "SpatialCode", "TableContent",
           "connector_class", "connector_names", "get_connector", "register"]
