"""A tiny book for the calendar's store tests, built row by row.

Steps are written the way the demo and the seeder write them: without the
calendar's derived columns, which `derive_missing` fills in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import (
    ContactRole,
    OrderStatus,
    Region,
    ServiceKind,
    StepKind,
    StepStatus,
)
from ccm_tui.store import tables
from ccm_tui.store.convert import roles_text, to_naive_utc
from ccm_tui.store.engine import write_session

NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)  # Friday 15:30 in New York
HOURS = BusinessHours()
NY = ZoneInfo("America/New_York")


def local(zone: str, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


class Book:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._n = 0

    def _number(self) -> int:
        self._n += 1
        return self._n

    def customer(self, name: str, region: Region = Region.NORTH_AMERICA, ccm: str = "Alex Morgan") -> int:
        n = self._number()
        with write_session(self.engine) as session:
            row = tables.CustomerRow(
                account_number=f"A-{n}",
                name=name,
                sort_name=name.casefold(),
                region=region.value,
                ccm=ccm,
                created_at=to_naive_utc(NOW),
                updated_at=to_naive_utc(NOW),
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def contact(self, customer_id: int, name: str, *roles: ContactRole, phone: str = "+1 212 555 0100") -> int:
        with write_session(self.engine) as session:
            row = tables.ContactRow(customer_id=customer_id, name=name, roles=roles_text(roles), phone=phone)
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def site(self, customer_id: int, name: str, zone: str = "America/New_York", country: str = "US") -> int:
        with write_session(self.engine) as session:
            row = tables.SiteRow(customer_id=customer_id, name=name, city=name, country=country, timezone=zone)
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def order(
        self,
        customer_id: int,
        ccd: date,
        services: Iterable[ServiceKind] = (ServiceKind.MRS,),
        mrc: int = 1000,
        status: OrderStatus = OrderStatus.INSTALLATION_COMPLETE,
    ) -> int:
        with write_session(self.engine) as session:
            row = tables.OrderRow(
                customer_id=customer_id,
                number=f"ORD-{self._number():04d}",
                status=status.value,
                mrc_cents=mrc * 100,
                ccd=ccd,
            )
            session.add(row)
            session.flush()
            for kind in services:
                session.add(tables.OrderServiceRow(order_id=row.id, kind=kind.value))
            assert row.id is not None
            return row.id

    def activation(
        self,
        customer_id: int,
        order_id: int,
        site_id: int,
        service: ServiceKind = ServiceKind.INTERNET,
        *,
        dispatch: bool = False,
        steps: Iterable[tuple[StepKind, datetime | None, StepStatus]] = (),
        hours: int = 3,
        ip_letter_sent_on: date | None = None,
        traffic_passed_at: datetime | None = None,
    ) -> tuple[int, dict[StepKind, int]]:
        with write_session(self.engine) as session:
            row = tables.ActivationRow(
                customer_id=customer_id,
                order_id=order_id,
                site_id=site_id,
                service=service.value,
                field_dispatch=dispatch,
                ip_letter_sent_on=ip_letter_sent_on,
                traffic_passed_at=to_naive_utc(traffic_passed_at),
            )
            session.add(row)
            session.flush()
            ids = {}
            for kind, start, status in steps:
                step = tables.ActivationStepRow(
                    activation_id=row.id,
                    customer_id=customer_id,
                    kind=kind.value,
                    start_at=to_naive_utc(start),
                    end_at=to_naive_utc(start + timedelta(hours=hours)) if start else None,
                    status=status.value,
                )
                session.add(step)
                session.flush()
                ids[kind] = step.id
            assert row.id is not None
            return row.id, ids  # type: ignore[return-value]


def event(
    book: Book,
    start: datetime,
    status: StepStatus = StepStatus.VALIDATED,
    *,
    name: str = "Acme",
    region: Region = Region.NORTH_AMERICA,
    zone: str = "America/New_York",
    country: str = "US",
    ccd: date = date(2026, 12, 31),
    service: ServiceKind = ServiceKind.INTERNET,
    ccm: str = "Alex Morgan",
    dispatch: bool = False,
) -> tuple[int, int]:
    """One customer, site, order and activation event; (activation id, step id)."""
    customer = book.customer(name, region, ccm)
    book.contact(customer, f"{name} designated", ContactRole.DESIGNATED)
    book.contact(customer, f"{name} technical", ContactRole.SITE_TECHNICAL)
    site = book.site(customer, f"{name} HQ", zone, country)
    order = book.order(customer, ccd, (service,))
    activation, steps = book.activation(
        customer, order, site, service, dispatch=dispatch, steps=[(StepKind.ACTIVATION, start, status)]
    )
    return activation, steps[StepKind.ACTIVATION]
