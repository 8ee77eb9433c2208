"""The palette's search of the book beyond customers' names: contacts (name,
phone, e-mail), cities, orders and activations, each kind limited.

Contact names and cities carry accents in their rows, and SQL cannot fold
them portably; but every customer's `search_text` holds its contacts' names
and its cities folded. So SQL narrows to the customers whose text holds the
query, and Python folds those candidates' names and cities to say which
matched, stopping at the limit. E-mails, phones and order numbers are plain
ASCII: SQL matches them itself. No LIKE '%text%' can use a B-tree index:
each is one pass over one table (customer, contact, orders), and the rest go
by primary keys and the customer_id / order_id indexes; about 0.1 s in all
on a seeded book of 50,000 customers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from ccm_tui.domain.book_search import PER_KIND, BookHit, HitKind, phone_digits
from ccm_tui.domain.model import ServiceKind
from ccm_tui.domain.search_text import fold, query_text
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import ActivationRow, ContactRow, CustomerRow, OrderRow, SiteRow

CANDIDATES = 1000  # customers whose contacts and cities are looked at, at most (a two-letter query matches most)
FIRST = 100  # candidates read first: a short query fills both kinds from these; if not, the rest in one go
PHONE_MIN_DIGITS = 3  # fewer typed digits would match most phone numbers
_PHONE_PUNCTUATION = " -().+/"


def find_in_book(engine: Engine, text: str, per_kind: int = PER_KIND) -> list[BookHit]:
    """Contacts, cities, orders and activations that hold `text` (any case, any accents)."""
    folded = query_text(text)
    if not folded:
        return []
    with read_session(engine) as session:
        by_name, cities = _names_and_cities(session, folded, per_kind)
        named = {hit.contact_id for hit in by_name}
        reachable = [hit for hit in _reachable(session, folded, per_kind) if hit.contact_id not in named]
        orders = _orders(session, folded, per_kind)
        activations = _activations(session, orders, per_kind)
    return [*(by_name + reachable)[:per_kind], *cities, *(hit for _, hit in orders), *activations]


def _typed_phone(folded: str) -> str:
    """The digits of a query that reads as (part of) a phone number, else ""."""
    if any(c not in _PHONE_PUNCTUATION and not c.isdigit() for c in folded):
        return ""
    digits = phone_digits(folded)
    return digits if len(digits) >= PHONE_MIN_DIGITS else ""


def _digits_of(column: Any) -> ColumnElement[str]:
    """The column with a phone's usual punctuation taken out, in SQL both engines speak."""
    expr = column
    for mark in _PHONE_PUNCTUATION:
        expr = func.replace(expr, mark, "")
    return expr


def _holding(session: Session, folded: str) -> list[tuple[int, str]]:
    """(id, name) of customers whose folded text holds the query, by sort name; CANDIDATES at most
    (which ones, when more match, is the engine's choice: a two-letter query finds plenty anyway).

    One scan of the customer table: no ORDER BY in SQL, where walking the
    sort_name index to look up each row cost SQLite four times the scan.
    """
    stmt = (
        select_columns(CustomerRow.id, CustomerRow.name, CustomerRow.sort_name)
        .where(col(CustomerRow.search_text).contains(folded, autoescape=True))
        .limit(CANDIDATES)
    )
    rows = sorted(session.exec(stmt).all(), key=lambda r: (r[2], r[0]))
    return [(customer_id, name) for customer_id, name, _ in rows]


def _names_and_cities(session: Session, folded: str, limit: int) -> tuple[list[BookHit], list[BookHit]]:
    """Contacts by name, and cities: the candidates' rows folded here, the first FIRST customers' first."""
    contacts: list[BookHit] = []
    cities: list[BookHit] = []
    candidates = _holding(session, folded)
    for chunk in (dict(candidates[:FIRST]), dict(candidates[FIRST:])):
        if not chunk:
            break
        names = session.exec(
            select_columns(ContactRow.customer_id, ContactRow.id, ContactRow.name)
            .where(col(ContactRow.customer_id).in_(chunk))
            .order_by(col(ContactRow.id))
        ).all()
        places = session.exec(
            select_columns(SiteRow.customer_id, SiteRow.city).where(col(SiteRow.customer_id).in_(chunk)).order_by(col(SiteRow.id))
        ).all()
        rank = {customer_id: n for n, customer_id in enumerate(chunk)}  # by sort name; sorted() keeps id order within
        for customer_id, contact_id, name in sorted(names, key=lambda r: rank[r[0]]):
            if folded in fold(name):
                contacts.append(BookHit(HitKind.CONTACT, name, customer_id, chunk[customer_id], contact_id=contact_id))
        seen: set[tuple[int, str]] = set()  # two sites in one city: the city once
        for customer_id, city in sorted(places, key=lambda r: rank[r[0]]):
            key = (customer_id, fold(city))
            if folded in key[1] and key not in seen:
                seen.add(key)
                cities.append(BookHit(HitKind.CITY, city, customer_id, chunk[customer_id]))
        if len(contacts) >= limit and len(cities) >= limit:
            break
    return contacts[:limit], cities[:limit]


def _reachable(session: Session, folded: str, limit: int) -> list[BookHit]:
    """Contacts by e-mail or phone: ASCII in their rows, so SQL matches them on the contact table alone."""
    digits = _typed_phone(folded)
    wanted = []
    if " " not in folded:  # an e-mail has no spaces: "sao paulo" need not scan them
        wanted.append(func.lower(col(ContactRow.email)).contains(folded, autoescape=True))
    if digits:
        wanted.append(_digits_of(col(ContactRow.phone)).contains(digits))
    if not wanted:
        return []
    stmt = (
        select_columns(ContactRow.id, ContactRow.name, ContactRow.phone, ContactRow.email, CustomerRow.id, CustomerRow.name)
        .join(CustomerRow, col(CustomerRow.id) == col(ContactRow.customer_id))
        .where(or_(*wanted))
        .order_by(col(ContactRow.id))
        .limit(limit)
    )
    return [
        BookHit(
            HitKind.CONTACT,
            name,
            customer_id,
            customer_name,
            matched=email if folded in email.lower() else phone,
            contact_id=contact_id,
        )
        for contact_id, name, phone, email, customer_id, customer_name in session.exec(stmt).all()
    ]


def _orders(session: Session, folded: str, limit: int) -> list[tuple[int, BookHit]]:
    """(order id, hit) of the orders whose number holds the query, by number."""
    stmt = (
        select_columns(OrderRow.id, OrderRow.number, CustomerRow.id, CustomerRow.name)
        .join(CustomerRow, col(CustomerRow.id) == col(OrderRow.customer_id))
        .where(func.lower(col(OrderRow.number)).contains(folded, autoescape=True))
        .order_by(col(OrderRow.number))
        .limit(limit)
    )
    return [(i, BookHit(HitKind.ORDER, number, customer_id, name)) for i, number, customer_id, name in session.exec(stmt).all()]


def _activations(session: Session, orders: list[tuple[int, BookHit]], limit: int) -> list[BookHit]:
    """The activations of the orders found: an activation has no number of its own."""
    if not orders:
        return []
    found = dict(orders)
    stmt = (
        select_columns(ActivationRow.id, ActivationRow.order_id, ActivationRow.service, SiteRow.name)
        .join(SiteRow, col(SiteRow.id) == col(ActivationRow.site_id))
        .where(col(ActivationRow.order_id).in_(found))
    )
    rank = {order_id: n for n, order_id in enumerate(found)}
    rows = sorted(session.exec(stmt).all(), key=lambda r: (rank[r[1]], r[0]))[:limit]
    return [
        BookHit(
            HitKind.ACTIVATION,
            f"{ServiceKind(service).value} at {site}",
            found[order_id].customer_id,
            found[order_id].customer_name,
            order_number=found[order_id].what,
            activation_id=activation_id,
        )
        for activation_id, order_id, service, site in rows
    ]
