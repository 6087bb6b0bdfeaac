"""Read and check the table API's query parameters: projection, sort, paging, permissions.

Choices where the sources are silent (section 2 of the API notes):
- `projection` is required (one client says so); missing or empty answers 400.
- `pagesize` absent or 0 means the maximum; above the maximum it is clamped to the maximum.
  `pagesize=0` is "everything" only for PowerQueries, so a client that relies on it here
  gets one page and must notice.
- `sort` takes one column; `sortdescending` takes true or false (any case).
- Permissions cover every column the request touches: projected, filtered and sorted on.
- A `*` projection with only some columns granted answers 403 listing the ungranted ones,
  rather than quietly serving the granted subset: a client must not depend on which
  columns a wildcard happens to return.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..powerschool_schema import TableSchema
from .errors import bad_request, invalid_projection_field, invalid_query_field, no_access
from .fiql import resolve_column
from .plugin_grants import PluginGrants


def projection_columns(raw: str | None, schema: TableSchema) -> list[str]:
    if raw is None or not raw.strip():
        raise bad_request(
            "A projection parameter is required, e.g. projection=* or projection=dcid"
        )
    columns: list[str] = []
    for given in raw.split(","):
        name = given.strip().lower()
        if name in ("*", f"{schema.key}.*"):
            columns.extend(schema.columns)
            continue
        column = resolve_column(given, schema)
        if column is None:
            raise invalid_projection_field(given.strip(), schema.name)
        columns.append(column)
    return list(dict.fromkeys(columns))


def sort_order(params: dict[str, str], schema: TableSchema) -> tuple[str | None, bool]:
    column = None
    if "sort" in params:
        column = resolve_column(params["sort"], schema)
        if column is None:
            raise invalid_query_field(params["sort"])
    descending = params.get("sortdescending", "false").lower()
    if descending not in ("true", "false"):
        raise bad_request("sortdescending must be true or false")
    return column, descending == "true"


def paging(params: dict[str, str], max_page_size: int) -> tuple[int, int]:
    page = _whole_number(params, "page", default=1)
    size = _whole_number(params, "pagesize", default=0)
    if page < 1:
        raise bad_request("page must be 1 or more")
    if size < 0:
        raise bad_request("pagesize must not be negative")
    return page, min(size or max_page_size, max_page_size)


def _whole_number(params: dict[str, str], name: str, default: int) -> int:
    if name not in params:
        return default
    try:
        return int(params[name])
    except ValueError:
        raise bad_request(f"{name} must be a whole number") from None


def require_read(grants: PluginGrants, schema: TableSchema, columns: Iterable[str]) -> None:
    missing = [c for c in dict.fromkeys(columns) if not grants.can_read(schema.key, c)]
    if missing:
        raise no_access([schema.columns[c][0] for c in missing], schema.name)
