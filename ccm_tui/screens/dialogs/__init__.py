"""Dialogs: one base (the frame, closing once, saving in a worker, errors shown) and the form engine."""
