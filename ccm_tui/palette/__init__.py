"""Command-palette providers: customers, the calendar, reviews."""
