"""The platform's user object and request limits (target-platform-api.md), defined once."""

from __future__ import annotations

import pyarrow as pa

# The most operations one `users:batch` request may carry.
MAX_BATCH = 500
# Users per page of the user listing.
PAGE_LIMIT = 1000

# The user object of the platform's API: what a client may write, and what it reads back.
WRITABLE_USER_FIELDS = (
    "host_id",
    "member_type",
    "first_name",
    "last_name",
    "email",
    "graduation_year",
    "date_of_birth",
    "gender",
    "grade_level",
)
USER_FIELDS = (*WRITABLE_USER_FIELDS, "status", "updated_at")
# Without these a listed user cannot be matched or counted: the listing is unusable.
REQUIRED_USER_FIELDS = ("host_id", "member_type", "status")

# A listed user as a row: whole numbers where the API sends integers, text elsewhere.
WHOLE_NUMBER_FIELDS = ("graduation_year", "grade_level")
USER_COLUMNS = pa.schema(
    [(field, pa.int32() if field in WHOLE_NUMBER_FIELDS else pa.string()) for field in USER_FIELDS]
)
