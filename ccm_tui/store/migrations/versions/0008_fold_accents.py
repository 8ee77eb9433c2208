"""Search and sort ignore accents: every customer's search_text and sort_name folded anew.

`fold` now drops accents too (`cafe` finds Café, Émile sorts with the E's).
The columns are derived, so this rewrites them from the rows, as the store's
one writer (`customer_search_text`, `customer_sort_name`) would: contact
names and site cities in id order. No schema change, no version bump (no
one edited the customer).

Customers are read in id order, 2,000 at a time (a keyset, so no cursor is
open while the batch's updates run), with their contacts and sites by the
customer_id indexes; only rows whose text changed are written, in one
executemany per batch.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import sqlalchemy as sa
from alembic import op

from ccm_tui.domain.search_text import customer_search_text, customer_sort_name

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000

# The columns as they stand at this revision (not tables.py, which moves on).
customer = sa.table(
    "customer",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("account_number", sa.String),
    sa.column("sort_name", sa.String),
    sa.column("search_text", sa.String),
)
contact = sa.table("contact", sa.column("id", sa.Integer), sa.column("customer_id", sa.Integer), sa.column("name", sa.String))
site = sa.table("site", sa.column("id", sa.Integer), sa.column("customer_id", sa.Integer), sa.column("city", sa.String))


def _by_customer(conn: sa.Connection, table: sa.TableClause, column: str, low: int, high: int) -> dict[int, list[str]]:
    """`column` of `table`'s rows for the customers low..high, in id order."""
    found: dict[int, list[str]] = defaultdict(list)
    stmt = (
        sa.select(table.c.customer_id, table.c[column])
        .where(table.c.customer_id.between(low, high))
        .order_by(table.c.customer_id, table.c.id)
    )
    for customer_id, value in conn.execute(stmt):
        found[customer_id].append(value)
    return found


SortRule = Callable[[str], str]
TextRule = Callable[[str, str, Iterable[str], Iterable[str]], str]


def refold(
    conn: sa.Connection, batch: int = BATCH, sort_rule: SortRule = customer_sort_name, text_rule: TextRule = customer_search_text
) -> int:
    """Recompute every customer's sort_name and search_text; the number of rows changed."""
    write = (
        sa.update(customer)
        .where(customer.c.id == sa.bindparam("row_id"))
        .values(sort_name=sa.bindparam("new_sort"), search_text=sa.bindparam("new_text"))
    )
    changed = 0
    last = 0
    while True:
        rows = conn.execute(
            sa.select(customer.c.id, customer.c.name, customer.c.account_number, customer.c.sort_name, customer.c.search_text)
            .where(customer.c.id > last)
            .order_by(customer.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return changed
        low, last = rows[0][0], rows[-1][0]
        names = _by_customer(conn, contact, "name", low, last)
        cities = _by_customer(conn, site, "city", low, last)
        updates = []
        for customer_id, name, account, old_sort, old_text in rows:
            new_sort = sort_rule(name)
            new_text = text_rule(name, account, names[customer_id], cities[customer_id])
            if (new_sort, new_text) != (old_sort, old_text):
                updates.append({"row_id": customer_id, "new_sort": new_sort, "new_text": new_text})
        if updates:
            conn.execute(write, updates)
            changed += len(updates)


def upgrade() -> None:
    if op.get_context().as_sql:
        return  # rendering SQL (`--sql`): a data rewrite in Python has none to show
    refold(op.get_bind())


def _casefold(text: str) -> str:
    return " ".join(text.casefold().split())


def _casefolded_text(name: str, account: str, contact_names: Iterable[str], cities: Iterable[str]) -> str:
    """0007's search_text: casefolded, accents kept (what the older ccm's queries expect)."""
    parts = [name, account, *contact_names, *dict.fromkeys(_casefold(c) for c in cities)]
    return "\n".join(_casefold(p) for p in parts if p and p.strip())[:4000]


def downgrade() -> None:
    if op.get_context().as_sql:
        return
    refold(op.get_bind(), sort_rule=_casefold, text_rule=_casefolded_text)
