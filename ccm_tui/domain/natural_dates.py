"""Dates as a CCM says them in a form: `today`, `fri`, `next mon`, `+3d`.

`parse_day(text, today)` turns the words into a date counted from `today`,
which the caller passes in (the services' clock, or a site's today for a
site's date); nothing here reads a clock. ISO dates are not read here: a
date field reads them with `fields.iso_date`, and sends everything else
here (`fields.typed_day`).

What the words mean (English, any case, spaces between words as many as
typed):

- `today`, `tomorrow`, `yesterday`.
- A weekday (`fri`, `friday`; `tue`/`tues`, `wed`/`weds`, `thu`/`thur`/
  `thurs` too) is the next one *after* today: on a Friday, `fri` is a week
  on, never today. This is khal's `calc_day` (`days = 7 if days == 0`) and
  Taskwarrior's "nearest future Friday"; `today` says today.
- `next fri` is the Friday of next week, weeks running Monday to Sunday
  (ISO 8601): on Monday 16 Nov, `wed` is Wed 18 and `next wed` Wed 25; on
  Friday 20 Nov, `mon` and `next mon` are both Mon 23. It names the week,
  so it never means the same as the bare weekday while that day is still
  to come this week.
- `last fri` is the most recent Friday *before* today (the bare weekday
  turned round): for logging time, which is never in the future.
- `+3d`, `-2d`, `+2w`, `+1m`, `+1y` (or `+3 days`, `-2 weeks`, ...) count
  from today. Months and years keep the day of the month where it exists
  and otherwise take the month's last day (31 Jan + 1m is 28 or 29 Feb;
  29 Feb 2028 + 1y is 28 Feb 2029), as the calendar's month step does.

Anything else raises ValueError with a message that lists what is read.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ccm_tui.domain.months import add_months

WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("mon", "monday"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4),
    **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}
_DAYS_FROM_TODAY = {"today": 0, "tomorrow": 1, "yesterday": -1}
_UNITS: dict[str, str] = {
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
    **dict.fromkeys(("m", "mo", "month", "months"), "m"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "y"),
}
_OFFSET = re.compile(r"([+-])\s*([0-9]+)\s*([a-z]+)")
_MAX_DIGITS = 6  # a million days is 2,700 years: past any date the book takes
ACCEPTED = "YYYY-MM-DD, today, tomorrow, fri, next mon, last fri or +3d"  # the message's list: short


def parse_day(text: str, today: date) -> date:
    """The date `text` names, counted from `today`; ValueError (the user's words) if it names none.

    See the module's docstring for the words: a bare weekday is the next one
    after today (a week on when today is that weekday), `next mon` the Monday
    of next week, `last fri` the latest Friday before today, `+1m` the same
    day next month or that month's last day.
    """
    words = " ".join(text.casefold().split())
    if words in _DAYS_FROM_TODAY:
        return today + timedelta(days=_DAYS_FROM_TODAY[words])
    if words in WEEKDAYS:
        return _after(today, WEEKDAYS[words])
    first, _, rest = words.partition(" ")
    if first == "next" and rest in WEEKDAYS:
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=WEEKDAYS[rest])
    if first == "last" and rest in WEEKDAYS:
        return today - timedelta(days=(today.weekday() - WEEKDAYS[rest] - 1) % 7 + 1)
    found = _OFFSET.fullmatch(words)
    if found is not None and found[3] in _UNITS:
        try:
            if len(found[2]) > _MAX_DIGITS:
                raise OverflowError(found[2])
            count = int(found[2]) * (1 if found[1] == "+" else -1)
            return _offset(today, count, _UNITS[found[3]])
        except (OverflowError, ValueError):  # past year 9999 or before year 1
            raise ValueError(f"{text.strip()!r} is too far from today") from None
    raise ValueError(f"{text.strip()[:40]!r} is not a date; use {ACCEPTED}")


def _after(today: date, weekday: int) -> date:
    """The first day after `today` that falls on `weekday` (0 Monday): 1 to 7 days on."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _offset(today: date, count: int, unit: str) -> date:
    if unit == "d":
        return today + timedelta(days=count)
    if unit == "w":
        return today + timedelta(weeks=count)
    return add_months(today, count * (12 if unit == "y" else 1))
