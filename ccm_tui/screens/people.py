"""Who is at the keyboard: the header's words, and the name asked at the first start."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ccm_tui.config_file import write_setting
from ccm_tui.domain.fields import multi_line, single_line
from ccm_tui.domain.people import Person
from ccm_tui.domain.validation import InvalidInput
from ccm_tui.screens.dialogs.form import FormDialog, FormField

if TYPE_CHECKING:
    from ccm_tui.services import Services


def who_and_access(services: Services) -> str:
    """ "Alex Morgan · lead", and "· read-only: on-call" when the session may not write."""
    actor, access = services.actor, services.access
    words = f"{actor.author} · {actor.role.label}"
    return f"{words} · {access.label}" if access.read_only else words


MAX_NOTE = 1000  # the history's reason column
MAX_NAME = 200  # person.name
NOTE_FIELDS = (FormField("note", "Note", kind="area", placeholder="What happened, who you called, what comes next"),)


def history_note_dialog(services: Services, step_id: int) -> FormDialog[str]:
    """A note on the activation's history; what on-call writes at night besides a no-show."""

    def save(values: dict[str, str]) -> str:
        from ccm_tui.services.people import add_history_note

        try:
            note = multi_line(values.get("note", ""), "the note", MAX_NOTE).strip()
        except ValueError as error:
            raise InvalidInput({"note": str(error)}) from None
        if not note:
            raise InvalidInput({"note": "write the note first"})
        add_history_note(services, step_id, note)
        return note

    return FormDialog("Note on the activation's history", NOTE_FIELDS, {}, save, stacked=True)


NAME_FIELDS = (
    FormField(
        "name", "Your name", placeholder="Alex Morgan", help="as the header, the CCM column and every change you make show it"
    ),
)


def name_dialog(services: Services, config: Path) -> FormDialog[Person]:
    """The first start on a personal book: your name, once, into config.toml and the book's people."""

    def save(values: dict[str, str]) -> Person:
        from ccm_tui.services.people import remember_local_name

        try:
            name = single_line(values.get("name", ""), "your name", MAX_NAME).strip()
        except ValueError as error:
            raise InvalidInput({"name": str(error)}) from None
        if not name:
            raise InvalidInput({"name": "write your name: it is how the book names your changes"})
        try:
            write_setting(config, "ccm_name", name)
        except (OSError, ValueError) as error:
            raise InvalidInput({"name": f"could not write {config}: {error}"}) from None
        return remember_local_name(services.engine, services.settings, name)

    return FormDialog("Welcome to ccm: who are you?", NAME_FIELDS, {}, save, focus="name")
