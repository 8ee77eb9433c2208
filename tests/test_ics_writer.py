"""The export's VEVENT writer (text/ics_text.py) writes exactly what its plain form writes.

The writer folds ASCII lines on the text, remembers each site's LOCATION line and each customer's
contact lines, and builds the rest from pieces worked out once; `plain_vevent` below is the writer
as it was before (one `text_value` and `content_line` per property, the description joined from its
lines, the roles' words written out again here), kept as the oracle: for any text in any field, and events sharing (or seeming to share)
sites and contacts, the two agree byte for byte.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ccm_tui.domain.model import ActivationStep, Contact, ContactRole, Site, StepKind, StepStatus
from ccm_tui.domain.schedule import ExportEvent
from ccm_tui.text.ics_text import _STATUS, LINE_OCTETS, VeventWriter, content_line, text_value, uid

NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
START = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
ZONES = ("America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Sydney")
# typed text, with what TEXT escapes and folding must keep whole (CR LF pairs, backslash runs, wide characters)
typed = st.lists(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(["\\", "\\\\", ",", ";", "\n", "\r", "\r\n", "é", "€", "😀", "\x07", "\t"]),
    ),
    max_size=60,
).map("".join)
roles = st.frozensets(st.sampled_from(list(ContactRole)))
ROLE_WORDS = {
    ContactRole.DESIGNATED: "designated contact",
    ContactRole.SITE_TECHNICAL: "site technical contact",
    ContactRole.AUTHORISED: "authorised contact",
}


@st.composite
def contacts(draw: st.DrawFn) -> tuple[Contact, ...]:
    return tuple(
        Contact(n, 1, draw(typed), draw(roles), draw(st.sampled_from(["", "+1 212 555 0100"]) | typed), draw(typed))
        for n in range(draw(st.integers(0, 3)))
    )


@st.composite
def sites(draw: st.DrawFn) -> Site:
    site_id = draw(st.integers(1, 3))
    return Site(
        site_id, 1, draw(typed), draw(typed), draw(typed), draw(st.sampled_from(["US", "", "GB"])), draw(st.sampled_from(ZONES))
    )


@st.composite
def events(draw: st.DrawFn, site: Site, people: tuple[Contact, ...]) -> ExportEvent:
    start = START + timedelta(minutes=30 * draw(st.integers(-2000, 2000)))
    end = draw(st.none() | st.just(start) | st.just(start - timedelta(hours=1)) | st.just(start + timedelta(hours=3)))
    kind = draw(st.sampled_from(list(StepKind)))
    step = ActivationStep(draw(st.integers(1, 10**9)), 42, kind, start, end, draw(st.sampled_from(list(StepStatus))))
    return ExportEvent(
        step=step,
        activation_id=draw(st.integers(1, 10**12)),
        service=draw(st.sampled_from(["MRS", "INTERNET"]) | typed),
        customer_name=draw(typed),
        account_number=draw(typed),
        site=site,
        order_number=draw(typed),
        contacts=people,
        sequence=draw(st.integers(0, 40)),
        on_call=draw(st.booleans()),
    )


def plain_vevent(writer: VeventWriter, event: ExportEvent) -> str:
    """The VEVENT as the writer wrote it before: the oracle."""
    step, site = event.step, event.site
    assert step.start is not None
    end = step.end if step.end is not None and step.end > step.start else step.start + timedelta(hours=1)
    zone = site.timezone
    summary = f"{event.service} {step.kind.label.lower()}: {event.customer_name}, {site.name}"
    location = ", ".join(part for part in (site.name, site.address, site.city, site.country) if part)
    return "".join(
        (
            "BEGIN:VEVENT\r\n",
            content_line("SUMMARY:" + text_value(summary)),
            f"DTSTART;TZID={zone}:{writer._local(step.start, zone)}\r\n",
            f"DTEND;TZID={zone}:{writer._local(end, zone)}\r\n",
            f"DTSTAMP:{writer.stamp}\r\n",
            content_line("UID:" + text_value(uid(event.activation_id, step.kind.value))),
            f"SEQUENCE:{event.sequence}\r\n",
            content_line(f"CATEGORIES:{text_value(event.service)},{text_value(step.kind.value)}"),
            content_line("DESCRIPTION:" + text_value(plain_description(event, writer.oncall_phone))),
            content_line("LOCATION:" + text_value(location)),
            f"STATUS:{_STATUS.get(step.status, 'TENTATIVE')}\r\n",
            "END:VEVENT\r\n",
        )
    )


def plain_description(event: ExportEvent, oncall_phone: str) -> str:
    """The description as it was written before: the oracle's."""
    step = event.step
    lines = [
        f"{event.customer_name} ({event.account_number}), order {event.order_number}",
        f"{event.service} {step.kind.label.lower()} at {event.site.name}; status: {step.status.label_for(step.kind)}",
        f"Times are the site's ({event.site.timezone}).",
    ]
    listed = frozenset(ROLE_WORDS)
    contacts = [c for c in event.contacts if c.roles & listed]
    if contacts:
        lines.append("Contacts:")
        for contact in contacts:
            roles = ", ".join(words for role, words in ROLE_WORDS.items() if role in contact.roles)
            reach = ", ".join(part for part in (contact.phone, contact.email) if part)
            lines.append(f"- {contact.name} ({roles}){': ' + reach if reach else ''}")
    if event.on_call:
        lines.append(f"After hours: on-call manager {oncall_phone}")
    return "\n".join(lines)


def plain_fold(line: str) -> str:
    """content_line as it was: the line folded as UTF-8 octets."""
    data = line.encode("utf-8")
    parts = []
    start, room = 0, LINE_OCTETS
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:
            end -= 1
        last = end - 1
        while last >= start and data[last] == ord("\\"):
            last -= 1
        if (end - 1 - last) % 2:
            end -= 1
        parts.append(data[start:end])
        start, room = end, LINE_OCTETS - 1
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8") + "\r\n"


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_the_writer_writes_what_the_plain_writer_wrote(data: st.DataObject) -> None:
    writer = VeventWriter(NOW, data.draw(st.sampled_from(["844-427-2875", ""]) | typed))
    site_pool = data.draw(st.lists(sites(), min_size=1, max_size=3))
    people_pool = data.draw(st.lists(contacts(), min_size=1, max_size=3))
    # events that share sites and contact tuples (as the store hands them), and sites of the same id that differ
    chunk = [
        data.draw(events(data.draw(st.sampled_from(site_pool)), data.draw(st.sampled_from(people_pool))))
        for _ in range(data.draw(st.integers(1, 6)))
    ]
    assert writer.vevents(chunk) == "".join(plain_vevent(writer, event) for event in chunk)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["\\", "a", ",", " ", "é", "😀", "\\n", "\\\\"]), min_size=40, max_size=300).map("".join),
    st.sampled_from(["", "DESCRIPTION:"]),
)
def test_folding_an_ascii_line_on_its_text_folds_as_the_octets_did(value: str, name: str) -> None:
    line = name + value
    assert content_line(line) == plain_fold(line)
    ascii_line = line.encode("ascii", "replace").decode("ascii")
    assert content_line(ascii_line) == plain_fold(ascii_line)


def test_backslash_runs_at_every_fold_are_kept_whole() -> None:
    for before in range(60, 160):
        for run in range(1, 5):
            for tail in ("n", ",", "b" * 80):
                line = "a" * before + "\\" * run + tail
                assert content_line(line) == plain_fold(line), (before, run, tail)


def test_a_uid_needs_neither_escape_nor_fold() -> None:
    # the writer writes the UID line as it is: ids and kinds leave nothing to escape, and it fits a line
    for kind in StepKind:
        value = uid(10**30, kind.value)
        assert text_value(value) == value and len("UID:" + value) <= LINE_OCTETS
