"""The shared semantic vocabulary of the portal and the models (owned here, used by both).

- districts: 서울특별시 and its 25 gu in every code system, lookups, MOIS region cells
- tagging:   what each column of a table means (`tag_columns`)
- periods:   headers that are periods, wide yearly tables and melting them
- totals:    total rows (합계, 서울특별시, coarser MOIS levels) and total columns (소계)
- vocabulary: the tags, header hints, units and total labels, declared as data
- places:    the gu a point lies in (`places.gu_of_points`; imported as a module, it loads
             the 행정동 polygons on first use)
"""
from models_std.semantics._distinct import map_distinct, map_each_distinct
from models_std.semantics.districts import (
    AMBIGUOUS, CODE_SYSTEMS, DISTRICTS, GU_NAMES, KOSTAT, LEVEL_DONG, LEVEL_NATION,
    LEVEL_RANK, LEVEL_SIDO, LEVEL_SIGUNGU, MOIS, MOIS8, MOIS10, NAME, ORG7, SEOUL, CodeDetection,
    District, Region, detect_code_system, district_by_code, district_by_name, find_district,
    gu_names, is_city, normalise_code, parse_region, region_level)
from models_std.semantics.periods import (
    PeriodHeader, is_wide_yearly, melt_wide_years, parse_period_header, period_sort_key,
    wide_year_columns, yearly_series)
from models_std.semantics.tagging import (
    WIDE_VALUE, ColumnTag, date_parts, distinct_counts, numbers_in_objects, tag_column,
    tag_columns, total_labels)
from models_std.semantics.totals import (
    grand_total_mask, is_total, total_columns, total_row_mask, total_row_scores)
from models_std.semantics.vocabulary import (
    CATEGORY, CODE, DATE, DONG, GU, ID, LAT, LON, MEASURE, MONTH, TAGS, TEXT, TOTAL_LABELS, X,
    Y, YEAR, is_total_label, unit_of)

__all__ = [name for name in dir() if not name.startswith("_")]
