"""PowerSchool REST client: OAuth client credentials and the schema table API, over httpx.

Written against the documented behaviour of real servers, and tolerant where that is unsure:
`expires_in` as string or number, `""`/missing/`null` all read as null, table and column keys
in any case, the token endpoint with or without a trailing slash.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import httpx
import pyarrow as pa

from sis_pipeline.config.urls import require_safe_url
from sis_pipeline.http.retry import ApiError, RetryPolicy, send_with_retries
from sis_pipeline.sources.powerschool.pages import (
    PageError,
    key_texts,
    page_rows,
    parse_json,
    rows_table,
)
from sis_pipeline.sources.powerschool.seen_keys import SeenKeys

DEFAULT_PAGE_SIZE = 100
# Renew a little before the server's expiry so a token never dies mid-request.
EXPIRY_MARGIN_SECONDS = 30
# A token refused this many times in a row, each time fresh, means the credentials no longer
# work (a disabled plugin), not an expiry. Each request may renew this many times, plus once
# per other request in flight: those share every fresh token and may use it up first.
TOKEN_RENEWALS = 3
# Pages read past the count before giving up on a table that keeps answering full pages.
EXTRA_PAGES = 2
# Rows of consecutive pages turned into one Arrow table: few enough to keep a table's pending
# rows small, enough that Arrow is called once per some tens of pages, not per page.
CHUNK_ROWS = 2_000
COLUMN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


class PowerSchoolError(ApiError):
    """PowerSchool refused a request; the message names the table and field where known."""


class PowerSchoolClient:
    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        policy: RetryPolicy | None = None,
        concurrency: int = 4,
        timeout: float = 60.0,
    ):
        self._base_url = require_safe_url(base_url, "powerschool.url").rstrip("/")
        self._credentials = (client_id, client_secret)
        self._policy = policy or RetryPolicy()
        self._concurrency = max(1, concurrency)
        self._http = httpx.Client(
            base_url=self._base_url,
            timeout=timeout,
            headers={"Accept": "application/json"},
            limits=httpx.Limits(max_connections=self._concurrency + 1),
        )
        # At most `concurrency` requests on the wire at once, whatever the number of tables
        # read side by side: a district's PowerSchool also serves its schools' day.
        self._slots = threading.BoundedSemaphore(self._concurrency)
        # Page fetches of every table share these workers, so tables are read side by side
        # within the same limit.
        self._pool = ThreadPoolExecutor(self._concurrency, thread_name_prefix="powerschool")
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._token_lock = threading.Lock()
        self._page_size: int | None = None
        self._page_size_lock = threading.Lock()

    @property
    def concurrency(self) -> int:
        return self._concurrency

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._http.close()

    def __enter__(self) -> PowerSchoolClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- authentication -------------------------------------------------------------------

    def _access_token(self, refused: str | None = None) -> str:
        """The current token; a new one when it has expired or is the `refused` one.

        Pages are read by several threads: when a token dies, each of them sees a 401, and
        only the first renews it; the others take the token it got.
        """
        with self._token_lock:
            if (
                self._token is None
                or self._token == refused
                or time.monotonic() >= self._token_expires_at
            ):
                self._fetch_token()
            assert self._token is not None
            return self._token

    def _fetch_token(self) -> None:
        def request() -> httpx.Response:
            with self._slots:
                return self._http.post(
                    "/oauth/access_token",
                    auth=httpx.BasicAuth(*self._credentials),
                    data={"grant_type": "client_credentials"},
                    headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
                )

        response = send_with_retries(
            request,
            self._policy,
            "PowerSchool token request",
            error=PowerSchoolError,
        )
        if response.status_code in (400, 401, 403):
            raise PowerSchoolError(
                f"PowerSchool refused the client credentials (HTTP {response.status_code}); "
                "check the plugin is enabled and the client ID and secret are current"
            )
        body = _json(response, "PowerSchool token request")
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise PowerSchoolError("PowerSchool token response has no access_token")
        if not _sendable(token):
            # Never shown: it is a secret, and it could not go into a header anyway.
            raise PowerSchoolError(
                "PowerSchool issued an access token with white space or control characters"
            )
        try:
            lifetime = float(body.get("expires_in", 3600))
        except (TypeError, ValueError):
            lifetime = 3600.0
        self._token = token
        self._token_expires_at = time.monotonic() + max(0.0, lifetime - EXPIRY_MARGIN_SECONDS)

    def _get(self, path: str, params: dict | None, what: str) -> httpx.Response:
        """GET with the bearer token, renewed when refused (a few times, never endlessly)."""
        token: str | None = None

        def request(bearer: str) -> httpx.Response:
            # A slot is held only while a request is on the wire, never during a backoff.
            with self._slots:
                return self._http.get(
                    path, params=params, headers={"Authorization": f"Bearer {bearer}"}
                )

        for _ in range(TOKEN_RENEWALS + self._concurrency):
            token = self._access_token(refused=token)
            response = send_with_retries(
                lambda t=token: request(t),
                self._policy,
                what,
                error=PowerSchoolError,
            )
            if response.status_code != 401:
                return response
        raise PowerSchoolError(f"{what}: PowerSchool refused a fresh access token (HTTP 401)")

    # --- metadata and tables --------------------------------------------------------------

    def page_size(self) -> int:
        with self._page_size_lock:
            return self._read_page_size()

    def _read_page_size(self) -> int:
        if self._page_size is None:
            response = self._get("/ws/v1/metadata", None, "PowerSchool metadata")
            size = None
            if response.status_code == 200:
                body = _json(response, "PowerSchool metadata")
                metadata = body.get("metadata", body) if isinstance(body, dict) else {}
                size = metadata.get("schema_table_query_max_page_size")
            try:
                self._page_size = max(1, int(size))
            except (TypeError, ValueError):
                self._page_size = DEFAULT_PAGE_SIZE
        return self._page_size

    def count(self, table: str, q: str | None = None) -> int:
        params = {"q": q} if q else None
        response = self._get(f"/ws/schema/table/{table}/count", params, f"{table} count")
        _raise_for_error(response, table)
        body = _json(response, f"{table} count")
        count = body.get("count") if isinstance(body, dict) else None
        if count is None and isinstance(body, dict) and isinstance(body.get("resource"), dict):
            count = body["resource"].get("count")
        try:
            return int(count)
        except (TypeError, ValueError):
            raise PowerSchoolError(f"{table} count: PowerSchool answered without a count") from None

    def fetch_page(
        self,
        table: str,
        columns: list[str],
        page: int,
        page_size: int,
        key: str,
        q: str | None = None,
    ) -> list[dict[str, str | None]]:
        """One page in ascending `key` order, as rows of the projected columns."""
        rows = self._fetch_rows(table, columns, page, page_size, key, q)
        return rows_table(rows, columns).to_pylist()

    def _fetch_rows(
        self,
        table: str,
        columns: list[str],
        page: int,
        page_size: int,
        key: str,
        q: str | None = None,
    ) -> list[dict]:
        """One page in ascending `key` order (the order without `sort` is undocumented), as the
        records' column objects."""
        params = {
            "projection": ",".join(columns),
            "page": page,
            "pagesize": page_size,
            "sort": key,
            "sortdescending": "false",
        }
        if q:
            params["q"] = q
        what = f"{table} page {page}"
        response = self._get(f"/ws/schema/table/{table}", params, what)
        _raise_for_error(response, table)
        try:
            body = parse_json(response.content)
        except ValueError:
            raise PowerSchoolError(
                f"{what}: PowerSchool answered HTTP {response.status_code} with a body that is "
                "not JSON"
            ) from None
        records = body.get("record", []) if isinstance(body, dict) else None
        if not isinstance(records, list):
            raise PowerSchoolError(f"{what}: response has no record list")
        try:
            return page_rows(records, table, columns)
        except PageError as error:
            raise PowerSchoolError(str(error)) from None

    def iter_pages(
        self, table: str, columns: list[str], key: str, q: str | None = None
    ) -> Iterator[list[dict[str, str | None]]]:
        """`iter_batches` as lists of rows."""
        for batch in self.iter_batches(table, columns, key, q):
            yield batch.to_pylist()

    def iter_batches(
        self,
        table: str,
        columns: list[str],
        key: str,
        q: str | None = None,
        chunk_rows: int = CHUNK_ROWS,
    ) -> Iterator[pa.Table]:
        """Every row of the table once, in `key` order, a few pages fetched ahead; the rows of
        consecutive pages come as one table of about `chunk_rows` rows.

        Offset paging over a table that changes meanwhile can serve a row on two pages (rows
        inserted ahead of it shift it onto the next page): a key already read is skipped. The
        count is taken first: fewer distinct keys than counted is an error (a table half-read
        must never look complete). Pages are requested up to the count plus a small margin, so
        a server that ignores `page` cannot be followed forever; an empty page ends the table.
        Pages are fetched by the client's shared workers, so several tables read at once
        share its request limit.
        """
        if key not in columns:
            raise ValueError(f"{table}: the key column {key} must be projected")
        # Through the shared workers, in turn with the pages already asked for: a thread of
        # its own could wait on the request limit behind a worker that takes each freed slot
        # again at once, and its table would start only when another ends.
        expected = self._pool.submit(self.count, table, q).result()
        size = self.page_size()
        planned = max(1, -(-expected // size))
        limit = planned + EXTRA_PAGES
        seen = SeenKeys()
        pages_read = 0
        repeated = 0
        last_full = False
        window: deque[Future] = deque()
        next_page = 1
        pending: list[dict] = []
        try:
            while True:
                while next_page <= planned and len(window) < self._concurrency * 2:
                    fetch = self._pool.submit(
                        self._fetch_rows, table, columns, next_page, size, key, q
                    )
                    window.append(fetch)
                    next_page += 1
                if not window:
                    if not last_full or next_page > limit:
                        break
                    planned += 1  # the table grew since the count: read on to a short page
                    continue
                rows = window.popleft().result()
                served = len(rows)
                if not served:
                    last_full = False
                    break
                if pages_read == 0 and served < min(size, expected):
                    # A page size the server clamps without a word (a guessed one, when the
                    # metadata had none): its pages are this long, so there are more of them.
                    size = served
                    planned = max(planned, -(-expected // size))
                    limit = planned + EXTRA_PAGES
                pages_read += 1
                last_full = served >= size
                fresh = seen.add_page(key_texts(rows, key))
                if fresh is not None:
                    rows = [row for row, new in zip(rows, fresh.tolist(), strict=True) if new]
                    repeated += served - len(rows)
                pending += rows
                if len(pending) >= chunk_rows:
                    yield rows_table(pending, columns)
                    pending = []
            if pending:
                yield rows_table(pending, columns)
        finally:
            for pending in window:
                pending.cancel()
        if len(seen) < expected:
            again = f", {repeated} rows served twice" if repeated else ""
            raise PowerSchoolError(
                f"{table}: read {len(seen)} distinct rows but PowerSchool counted {expected}"
                f"{again}; the extraction is incomplete"
            )
        if last_full and next_page > limit:
            raise PowerSchoolError(
                f"{table}: PowerSchool still answered full pages {EXTRA_PAGES} pages past its "
                f"count of {expected} rows; stopped reading, the extraction may be incomplete"
            )


def _json(response: httpx.Response, what: str) -> object:
    try:
        return response.json()
    except ValueError:
        raise PowerSchoolError(
            f"{what}: PowerSchool answered HTTP {response.status_code} with a body that is not JSON"
        ) from None


def _sendable(token: str) -> bool:
    return token.isascii() and token.isprintable() and not any(c.isspace() for c in token)


def _raise_for_error(response: httpx.Response, table: str) -> None:
    """Our error, in our words: the status, and for a 403 the fields PowerSchool names
    (kept only when they look like column names; its free text is never passed on)."""
    if response.status_code == 200:
        return
    body: object = {}
    with contextlib.suppress(ValueError):
        body = response.json()
    if response.status_code == 403:
        errors = body.get("errors") if isinstance(body, dict) else None
        fields = [
            f"{_name(e.get('resource'), table)}.{_name(e.get('field'), '?')}"
            for e in (errors if isinstance(errors, list) else [])
            if isinstance(e, dict)
        ]
        named = ", ".join(fields) or table
        raise PowerSchoolError(
            f"PowerSchool denied access to {named}: the plugin does not grant it; "
            "regenerate plugin.xml with `sis-pipeline plugin` and reinstall it"
        )
    if response.status_code == 404:
        raise PowerSchoolError(f"PowerSchool has no table {table} (HTTP 404)")
    raise PowerSchoolError(f"{table}: PowerSchool answered HTTP {response.status_code}")


def _name(value: object, default: str) -> str:
    return value if isinstance(value, str) and COLUMN_NAME.fullmatch(value) else default
