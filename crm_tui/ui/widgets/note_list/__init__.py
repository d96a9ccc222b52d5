"""The notes list: ``NoteTable``, a virtual list of notes that stays instant at a million.

``table`` is the widget, ``columns`` lays out and paints its rows, ``blocks`` and
``row_source`` hold what it has loaded and plan what to fetch, ``loading`` runs the
fetches off the UI thread.
"""

from crm_tui.ui.widgets.note_list.table import NoteTable

__all__ = ["NoteTable"]
