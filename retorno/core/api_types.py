"""Field types the API's schemas share."""

from typing import Annotated

from pydantic import Field

# Database ids are signed 64-bit integers: a larger number is refused by the schema (422) before
# it reaches a query (SQLite's driver would overflow, PostgreSQL would answer differently).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
