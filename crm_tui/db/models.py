"""Peewee models: the tables of crm-tui.

Timestamps are naive and hold UTC (see ``crm_tui.clock``). Note ids are
time-ordered (``created_at`` seconds shifted left by 20 bits, plus a sequence), so "newest
first" is simply ``id DESC`` in every index and in full-text search. Sorting indexes come
in pairs (``note_id`` ascending and descending after the value) so that every sort, in
either direction, keeps ties newest first from one index walk. Models never leave the
domain: widgets get plain dataclasses.
"""

from __future__ import annotations

import peewee as pw

database_proxy = pw.DatabaseProxy()

ROLES = ("admin", "rep")


class BaseModel(pw.Model):
    """Base of all models, bound to the database opened by ``crm_tui.db.database``."""

    class Meta:
        database = database_proxy
        legacy_table_names = False


class User(BaseModel):
    """A member of the team."""

    id = pw.AutoField()

    name = pw.TextField()
    name_key = pw.TextField(unique=True)
    role = pw.TextField(constraints=[pw.Check("role IN ('admin', 'rep')")])
    password_hash = pw.TextField(null=True)
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField()
    failed_sign_ins = pw.IntegerField(default=0)  # wrong passwords in a row (migration 6)
    last_failed_sign_in = pw.DateTimeField(null=True)  # UTC, naive


class Customer(BaseModel):
    """A company or person notes are about. ``name_key`` is unique and the sort key."""

    id = pw.AutoField()

    name = pw.TextField()
    name_key = pw.TextField(unique=True)
    email = pw.TextField(default="")
    phone = pw.TextField(default="")
    created_at = pw.DateTimeField()


class BadgeItem(BaseModel):
    """Fields shared by statuses, actions and dropdown options."""

    id = pw.AutoField()

    name = pw.TextField()
    name_key = pw.TextField()
    abbreviation = pw.TextField()
    font_color = pw.TextField()
    background_color = pw.TextField()
    in_sequence = pw.BooleanField(default=False)
    position = pw.IntegerField()
    archived = pw.BooleanField(default=False)


class Status(BadgeItem):
    """Where a note stands; a ``done`` one needs no follow-up (migration 9)."""

    done = pw.BooleanField(default=False)

    class Meta:
        table_name = "status"
        indexes = ((("name_key",), True), (("position", "id"), False))


class Action(BadgeItem):
    """What has to be done; ``follow_up_days``: its default follow-up delay (migration 9)."""

    follow_up_days = pw.IntegerField(null=True)

    class Meta:
        table_name = "action"
        indexes = ((("name_key",), True), (("position", "id"), False))


class Variable(BaseModel):
    """An admin-defined typed field on notes."""

    id = pw.AutoField()

    name = pw.TextField()
    name_key = pw.TextField(unique=True)
    type = pw.TextField(
        constraints=[pw.Check("type IN ('text', 'currency', 'date', 'number', 'dropdown')")]
    )
    position = pw.IntegerField()
    archived = pw.BooleanField(default=False)


class Option(BadgeItem):
    """One choice of a dropdown variable."""

    variable = pw.ForeignKeyField(Variable, backref="options", on_delete="CASCADE")
    variable_id: int  # the column peewee reads and writes for variable
    time_zone = pw.TextField(null=True)  # an IANA zone name (migration 9)

    class Meta:
        table_name = "option"
        indexes = ((("variable", "name_key"), True), (("variable", "position", "id"), False))


class Note(BaseModel):
    """A note about a customer. ``id`` is time-ordered (see module docstring)."""

    id = pw.BigIntegerField(primary_key=True)
    customer = pw.ForeignKeyField(Customer, backref="notes", index=False)
    customer_id: int  # the column peewee reads and writes for customer
    action = pw.ForeignKeyField(Action, null=True, index=False)
    action_id: int | None  # the column peewee reads and writes for action
    status = pw.ForeignKeyField(Status, null=True, index=False)
    status_id: int | None  # the column peewee reads and writes for status
    assignee = pw.ForeignKeyField(User, null=True, index=False, backref="assigned_notes")
    assignee_id: int | None  # the column peewee reads and writes for assignee
    author = pw.ForeignKeyField(User, index=False, backref="authored_notes")
    author_id: int  # the column peewee reads and writes for author
    body = pw.TextField(default="")
    follow_up = pw.DateField(null=True)
    created_at = pw.DateTimeField()
    updated_at = pw.DateTimeField()
    version = pw.IntegerField(default=1)


class NoteValue(BaseModel):
    """The value of one variable on one note, in the column of its type."""

    note = pw.ForeignKeyField(Note, backref="values", on_delete="CASCADE", index=False)
    note_id: int  # the column peewee reads and writes for note
    variable = pw.ForeignKeyField(Variable, on_delete="CASCADE", index=False)
    variable_id: int  # the column peewee reads and writes for variable
    value_text = pw.TextField(null=True)
    value_key = pw.TextField(null=True)
    value_num = pw.DoubleField(null=True)
    value_cents = pw.BigIntegerField(null=True)
    value_date = pw.DateField(null=True)
    option = pw.ForeignKeyField(Option, null=True, index=False)
    option_id: int | None  # the column peewee reads and writes for option

    class Meta:
        table_name = "note_value"
        primary_key = pw.CompositeKey("note", "variable")


class Change(BaseModel):
    """One line of the change history: who changed what, when, old → new."""

    id = pw.AutoField()

    at = pw.DateTimeField()
    user = pw.ForeignKeyField(User, null=True, index=False)
    user_id: int | None  # the column peewee reads and writes for user
    batch = pw.BigIntegerField()
    entity = pw.TextField()
    entity_id = pw.BigIntegerField()
    field = pw.TextField()
    old = pw.TextField(null=True)
    new = pw.TextField(null=True)

    class Meta:
        table_name = "change"
        indexes = ((("entity", "entity_id", "id"), False), (("user", "id"), False))


class SavedView(BaseModel):
    """A user's named sort, filters and search of the notes list."""

    id = pw.AutoField()

    user = pw.ForeignKeyField(User, on_delete="CASCADE", index=False)
    user_id: int  # the column peewee reads and writes for user
    name = pw.TextField()
    name_key = pw.TextField()
    definition = pw.TextField()  # JSON: {"sort": [...], "conditions": [...], "search": "..."}

    class Meta:
        table_name = "saved_view"
        indexes = ((("user", "name_key"), True),)


class Preference(BaseModel):
    """A remembered choice of one user (e.g. the hidden columns), as JSON text."""

    user = pw.ForeignKeyField(User, on_delete="CASCADE", index=False)
    user_id: int  # the column peewee reads and writes for user
    key = pw.TextField()
    value = pw.TextField()

    class Meta:
        table_name = "preference"
        primary_key = pw.CompositeKey("user", "key")


class AppSetting(BaseModel):
    """A database-wide setting (e.g. the currency amounts are shown in), as JSON text."""

    key = pw.TextField(primary_key=True)
    value = pw.TextField()

    class Meta:
        table_name = "app_setting"


class CustomerState(BaseModel):
    """A customer's current state, kept with every note write (migration 10): its newest
    note and that note's assignee, the status of its newest note that has one, the
    time-zone option of its newest note that has one (see ``db/customer_state.py``)."""

    customer = pw.ForeignKeyField(Customer, primary_key=True)
    customer_id: int  # the column peewee reads and writes for customer
    note_id = pw.BigIntegerField()
    assignee_id = pw.IntegerField(null=True)
    status_id = pw.IntegerField(null=True)
    status_note_id = pw.BigIntegerField(null=True)
    zone_option_id = pw.IntegerField(null=True)
    zone_note_id = pw.BigIntegerField(null=True)
    close_month = pw.DateField(null=True)
    """The month (its first day) of the newest value of the close-date variable
    ``pipeline_kept`` names (migration 12)."""
    amount_cents = pw.BigIntegerField(null=True)
    """The newest value of the currency variable ``pipeline_kept`` names."""

    class Meta:
        table_name = "customer_state"


class CustomerValue(BaseModel):
    """A customer's newest value of one variable among its notes (migration 10)."""

    customer_id = pw.IntegerField()
    variable_id = pw.IntegerField()
    note_id = pw.BigIntegerField()
    value_text = pw.TextField(null=True)
    value_key = pw.TextField(null=True)
    value_num = pw.DoubleField(null=True)
    value_cents = pw.BigIntegerField(null=True)
    value_date = pw.DateField(null=True)
    option_id = pw.IntegerField(null=True)
    status_id = pw.IntegerField(null=True)  # the customer's current status, copied here

    class Meta:
        table_name = "customer_value"
        primary_key = pw.CompositeKey("customer_id", "variable_id")


MODELS: tuple[type[BaseModel], ...] = (
    User,
    Customer,
    Status,
    Action,
    Variable,
    Option,
    Note,
    NoteValue,
    Change,
    SavedView,
    Preference,
    AppSetting,
    CustomerState,
    CustomerValue,
)

# Typed value columns of ``note_value`` by variable type (dropdowns use ``option_id``).
VALUE_COLUMN = {
    "text": "value_key",
    "number": "value_num",
    "currency": "value_cents",
    "date": "value_date",
    "dropdown": "option_id",
}
