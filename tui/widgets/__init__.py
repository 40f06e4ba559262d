"""Widgets the screens are built from: the paper list, its row sources, the dialogs."""
