"""Input numbers bounded by what the database can hold, so the OpenAPI document says so too.

A number past a column's range never reaches a query: it is refused with a structured 422
naming the field, and the document gives each parameter its minimum and maximum.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

SMALLINT_MAX = 2**15 - 1
"""The largest value of a ``SmallIntegerField`` (and a ``PositiveSmallIntegerField``)."""

INT_MAX = 2**31 - 1
"""The largest value of an ``IntegerField`` (and a ``PositiveIntegerField``)."""

BIGINT_MAX = 2**63 - 1
"""The largest value of a ``BigIntegerField`` and of every id (``BigAutoField``)."""

Int = Annotated[int, Field(ge=-(2**31), le=INT_MAX)]
"""A whole number an ``IntegerField`` holds (a service may refuse a negative one itself)."""

BigInt = Annotated[int, Field(ge=-(2**63), le=BIGINT_MAX)]
"""A whole number a ``BigIntegerField`` holds (a service may refuse a negative one itself)."""

Id = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
"""The id of a record."""

Pence = Annotated[int, Field(ge=0, le=BIGINT_MAX)]
"""An amount of money in pence (never negative)."""

Count = Annotated[int, Field(ge=0, le=INT_MAX)]
"""A whole number that is never negative: people, volunteers."""

SmallCount = Annotated[int, Field(ge=0, le=SMALLINT_MAX)]
"""A small whole number that is never negative: a lot's number, a score."""

Year = Annotated[int, Field(ge=1, le=9998)]
"""A (financial) year: the year its April falls in; its March is in the next one."""

Page = Annotated[int, Field(ge=1, le=INT_MAX)]
"""A page number, from 1."""

PageSize = Annotated[int, Field(ge=1, le=INT_MAX)]
"""Rows per page (at most 100 are given, whatever is asked)."""
