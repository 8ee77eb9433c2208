"""The iCalendar text ccm writes itself (text/ics_text.py), read back by the icalendar library:
escaping, 75-octet folding that never splits a character or an escape, and whole VEVENTs whose
drawn text (non-ASCII, commas, semicolons, backslashes, line breaks, long lines) comes back as it was."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from ccm_tui.config import Settings
from ccm_tui.domain.model import ActivationStep, Contact, ContactRole, Site, StepKind, StepStatus
from ccm_tui.domain.schedule import ExportEvent
from ccm_tui.services.ics import ics_chunks
from ccm_tui.text.ics_text import content_line, text_value

NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
START = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
# What a typed field may hold: any character but surrogates, plus the ones TEXT escapes, more often.
typed = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(",;\\:\n\r\"'é€😀 \t"),
    ),
    max_size=120,
)


def kept(text: str) -> str:
    """What a reader gets back: line breaks as LF, control characters other than tab and LF left out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\t\n" or unicodedata.category(ch) != "Cc")


def lines_of(text: str) -> list[bytes]:
    return text.encode("utf-8").split(b"\r\n")


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_folding_keeps_75_octets_and_unfolds_to_the_line(value: str) -> None:
    line = "DESCRIPTION:" + text_value(value)
    folded = content_line(line)
    assert folded.endswith("\r\n")
    physical = lines_of(folded)[:-1]
    assert all(len(part) <= 75 for part in physical)
    assert all(part.startswith(b" ") for part in physical[1:])
    for part in physical:
        part.decode("utf-8")  # no character split across a fold
        assert not part.endswith(b"\\") or part.endswith(b"\\\\"), "an escape kept whole"
    assert folded[:-2].replace("\r\n ", "") == line


@settings(max_examples=60, deadline=None)
@given(customer=typed, site=typed, address=typed, contact=typed, phone=typed)
def test_icalendar_reads_back_the_events_written(customer: str, site: str, address: str, contact: str, phone: str) -> None:
    event = ExportEvent(
        step=ActivationStep(7, 3, StepKind.INSTALLATION, START, START + timedelta(hours=4), StepStatus.CONFIRMED),
        activation_id=3,
        service="MRS",
        customer_name=customer,
        account_number="NA-1",
        site=Site(5, 1, site, address, "Zürich", "CH", "Europe/Zurich"),
        order_number="SO-1",
        contacts=(Contact(9, 1, contact, frozenset({ContactRole.DESIGNATED}), phone, "a@b.example"),),
        sequence=2,
        on_call=True,
    )
    text = "".join(ics_chunks(["Europe/Zurich"], [[event]], NOW, Settings(), (START.date(), START.date())))
    (vevent,) = Calendar.from_ical(text).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == kept(f"MRS equipment installation: {customer}, {site}")
    assert str(vevent["LOCATION"]) == kept(", ".join(part for part in (site, address, "Zürich", "CH") if part))
    description = str(vevent["DESCRIPTION"])
    assert description.startswith(kept(f"{customer} (NA-1), order SO-1\nMRS equipment installation at {site}; status:"))
    assert kept(f"- {contact} (designated contact): {', '.join(p for p in (phone, 'a@b.example') if p)}") in description
    assert description.endswith("After hours: on-call manager 844-427-2875")
    assert str(vevent["UID"]) == "activation-3-installation@ccm-tui"
    assert int(vevent["SEQUENCE"]) == 2 and str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Zurich"
    assert vevent["DTSTART"].dt.astimezone(UTC) == START and vevent["DTEND"].dt.astimezone(UTC) == START + timedelta(hours=4)
    assert [str(c) for c in vevent["CATEGORIES"].cats] == ["MRS", "installation"]
    assert all(len(line) <= 75 for line in lines_of(text))


def test_escapes_and_control_characters() -> None:
    assert text_value("a,b;c\\d\ne\r\nf\rg") == "a\\,b\\;c\\\\d\\ne\\nf\\ng"
    assert text_value("bell\x07 tab\t esc\x1b[31m") == "bell tab\t esc[31m"
    assert content_line("SUMMARY:short") == "SUMMARY:short\r\n"
    long = "X:" + "é" * 60  # 122 octets: the fold falls between two-octet characters
    folded = content_line(long)
    assert [len(part) for part in lines_of(folded)[:-1]] == [74, 49] and folded[:-2].replace("\r\n ", "") == long
