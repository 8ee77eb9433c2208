"""Command-palette providers: customers, the book's CCM filters, the calendar, reviews."""
