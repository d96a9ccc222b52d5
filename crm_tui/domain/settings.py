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
    lock_settings_writes,
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
from crm_tui.i18n import language

__all__ = [
    "ABBREVIATION_MAX",
    "BADGE_FIELDS",
    "BADGE_MODELS",
    "RESERVED_COLUMN_KEYS",
    "STARTER_ACTIONS",
    "STARTER_ACTIONS_FR",
    "STARTER_STATUSES",
    "STARTER_STATUSES_FR",
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
    "starter_actions",
    "starter_statuses",
    "update_badge",
    "update_variable",
    "variable_use_count",
]


# --- first run ---------------------------------------------------------------------

# The starter set of a new database, in the language of whoever opens it first: stored
# names (data, not messages: a French team's statuses stay French whoever reads them).
# (name, abbreviation, font colour, background colour, in sequence, done) / actions:
# (name, abbreviation, font colour, background colour).
# Every starter colour pair reads at 4.5:1 or more (colors.READABLE_CONTRAST).
StarterStatus = tuple[str, str, str, str, bool, bool]
StarterAction = tuple[str, str, str, str]

STARTER_STATUSES: tuple[StarterStatus, ...] = (
    ("Prospect", "PRO", "#FFFFFF", "#1565C0", True, False),
    ("Active", "ACT", "#FFFFFF", "#2E7D32", True, False),
    ("Client", "CLT", "#FFFFFF", "#1B5E20", True, False),
    ("Awaiting approval", "AWA", "#000000", "#FFC107", True, False),
    ("On hold", "HOLD", "#000000", "#BDBDBD", False, False),
    ("No answer", "NA", "#FFFFFF", "#C62828", False, False),
    ("Inactive", "INA", "#FFFFFF", "#616161", False, False),
    ("Done", "DONE", "#000000", "#E0E0E0", False, True),
)
STARTER_ACTIONS: tuple[StarterAction, ...] = (
    ("Call", "CALL", "#000000", "#FFEB3B"),
    ("E-mail", "MAIL", "#FFFFFF", "#5E35B1"),
    ("Fax", "FAX", "#FFFFFF", "#546E7A"),
    ("Send sample", "SMPL", "#000000", "#FFCC80"),
    ("Ship", "SHIP", "#FFFFFF", "#00695C"),
    ("Order follow-up", "FLW", "#FFFFFF", "#AD1457"),
)
# The seed's own words (shared/seed/orderbot-crm-notes.fr.txt), row for row the English
# set's counterparts: the same colours, the same statuses in sequence.
STARTER_STATUSES_FR: tuple[StarterStatus, ...] = (
    ("Prospect", "PROS", "#FFFFFF", "#1565C0", True, False),
    ("Actif", "ACT", "#FFFFFF", "#2E7D32", True, False),
    ("Client", "CLI", "#FFFFFF", "#1B5E20", True, False),
    ("En attente d'approbation", "APPR", "#000000", "#FFC107", True, False),
    ("En attente", "ATT", "#000000", "#BDBDBD", False, False),
    ("Aucune réponse", "SREP", "#FFFFFF", "#C62828", False, False),
    ("Inactif", "INAC", "#FFFFFF", "#616161", False, False),
    ("Terminé", "TERM", "#000000", "#E0E0E0", False, True),
)
STARTER_ACTIONS_FR: tuple[StarterAction, ...] = (
    ("Appel", "APP", "#000000", "#FFEB3B"),
    ("Courriel", "COUR", "#FFFFFF", "#5E35B1"),
    ("Fax", "FAX", "#FFFFFF", "#546E7A"),
    ("Envoyer un échantillon", "ECH", "#000000", "#FFCC80"),
    ("Expédier", "EXP", "#FFFFFF", "#00695C"),
    ("Suivi de commande", "SUIV", "#FFFFFF", "#AD1457"),
)


def starter_statuses(lang: str | None = None) -> tuple[StarterStatus, ...]:
    """The starter statuses in ``lang`` (default: the language in force)."""
    return STARTER_STATUSES_FR if (lang or language()) == "fr" else STARTER_STATUSES


def starter_actions(lang: str | None = None) -> tuple[StarterAction, ...]:
    """The starter actions in ``lang`` (default: the language in force)."""
    return STARTER_ACTIONS_FR if (lang or language()) == "fr" else STARTER_ACTIONS


def _has_settings() -> bool:
    return Status.select().exists() or Action.select().exists() or Variable.select().exists()


def ensure_starter_settings() -> bool:
    """On a brand-new database (no status, action or variable yet), add the starter set,
    in the language in force (``crm_tui.i18n.language()``): French or English.

    Returns whether anything was added. Not recorded as a user's change. Added once:
    processes opening a new database together wait for each other (the settings lock),
    and the others then find the first one's set, in whatever language it was.
    """
    if _has_settings():  # every start but the first: no lock taken
        return False
    with database_proxy.atomic():
        lock_settings_writes()
        if _has_settings():
            return False
        statuses, actions = starter_statuses(), starter_actions()
        try:
            with database_proxy.atomic():  # a savepoint: another process may add them first
                for position, row in enumerate(statuses):
                    name, abbreviation, font, background, in_sequence, done = row
                    Status.create(
                        name=name,
                        name_key=fold(name),
                        abbreviation=abbreviation,
                        font_color=font,
                        background_color=background,
                        in_sequence=in_sequence,
                        done=done,
                        position=position,
                        archived=False,
                    )
                for position, (name, abbreviation, font, background) in enumerate(actions):
                    Action.create(
                        name=name,
                        name_key=fold(name),
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
