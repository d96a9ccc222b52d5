"""The three Settings tabs: statuses, actions and variables (with dropdown options).

Every change is for admins only, runs in one transaction and is written to the history.
Badges (statuses, actions, options) are in ``settings_badges``, variables in
``settings_variables``; this module gathers them, with the starter set of a new database.
"""

from __future__ import annotations

import peewee

from crm_tui.db.models import Action, Status, Variable, database_proxy
from crm_tui.domain.settings_badges import (
    ABBREVIATION_MAX,
    BADGE_FIELDS,
    BADGE_MODELS,
    RESERVED_COLUMN_KEYS,
    badge_fields,
    badge_use_count,
    column_key,
    create_badge,
    delete_badge,
    kind_label,
    load_settings,
    move_badge,
    reorder_badges,
    set_badge_archived,
    update_badge,
)
from crm_tui.domain.settings_variables import (
    create_variable,
    delete_variable,
    move_variable,
    reorder_variables,
    set_variable_archived,
    update_variable,
    variable_use_count,
)
from crm_tui.domain.text import fold
from crm_tui.i18n import _

__all__ = [
    "ABBREVIATION_MAX",
    "BADGE_FIELDS",
    "BADGE_MODELS",
    "RESERVED_COLUMN_KEYS",
    "STARTER_ACTIONS",
    "STARTER_STATUSES",
    "badge_fields",
    "badge_use_count",
    "column_key",
    "create_badge",
    "create_variable",
    "delete_badge",
    "delete_variable",
    "ensure_starter_settings",
    "kind_label",
    "load_settings",
    "move_badge",
    "move_variable",
    "reorder_badges",
    "reorder_variables",
    "set_badge_archived",
    "set_variable_archived",
    "update_badge",
    "update_variable",
    "variable_use_count",
]


# --- first run ---------------------------------------------------------------------

# Every starter colour pair reads at 4.5:1 or more (colors.READABLE_CONTRAST).
STARTER_STATUSES = (
    ("Prospect", "PRO", "#FFFFFF", "#1565C0", True),
    ("Active", "ACT", "#FFFFFF", "#2E7D32", True),
    ("Client", "CLT", "#FFFFFF", "#1B5E20", True),
    ("Awaiting approval", "AWA", "#000000", "#FFC107", True),
    ("On hold", "HOLD", "#000000", "#BDBDBD", False),
    ("No answer", "NA", "#FFFFFF", "#C62828", False),
    ("Inactive", "INA", "#FFFFFF", "#616161", False),
    ("Done", "DONE", "#000000", "#E0E0E0", False),
)
STARTER_ACTIONS = (
    ("Call", "CALL", "#000000", "#FFEB3B"),
    ("E-mail", "MAIL", "#FFFFFF", "#5E35B1"),
    ("Fax", "FAX", "#FFFFFF", "#546E7A"),
    ("Send sample", "SMPL", "#000000", "#FFCC80"),
    ("Ship", "SHIP", "#FFFFFF", "#00695C"),
    ("Order follow-up", "FLW", "#FFFFFF", "#AD1457"),
)


def ensure_starter_settings() -> bool:
    """On a brand-new database (no status, action or variable yet), add the starter set.

    Returns whether anything was added. Not recorded as a user's change.
    """
    with database_proxy.atomic():
        if Status.select().exists() or Action.select().exists() or Variable.select().exists():
            return False
        try:
            with database_proxy.atomic():  # a savepoint: another process may add them first
                for position, (name, abbreviation, font, background, in_sequence) in enumerate(
                    STARTER_STATUSES
                ):
                    Status.create(
                        name=_(name),
                        name_key=fold(_(name)),
                        abbreviation=abbreviation,
                        font_color=font,
                        background_color=background,
                        in_sequence=in_sequence,
                        position=position,
                        archived=False,
                    )
                for position, (name, abbreviation, font, background) in enumerate(STARTER_ACTIONS):
                    Action.create(
                        name=_(name),
                        name_key=fold(_(name)),
                        abbreviation=abbreviation,
                        font_color=font,
                        background_color=background,
                        in_sequence=False,
                        position=position,
                        archived=False,
                    )
        except peewee.IntegrityError:  # it did: theirs are the same starter set
            return False
        return True
