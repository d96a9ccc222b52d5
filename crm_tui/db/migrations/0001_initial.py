"""Version 1: users, customers, settings, notes, typed values, history, full-text search.

Tables are declared here as a frozen copy, independent of ``crm_tui.db.models``, as
``playhouse.migrations`` asks: later versions change them with later migrations.
"""

from peewee import *


def _frozen_models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        name = TextField()
        name_key = TextField(unique=True)
        role = TextField(constraints=[Check("role IN ('admin', 'rep')")])
        password_hash = TextField(null=True)
        active = BooleanField(default=True)
        created_at = DateTimeField()

    class Customer(Base):
        name = TextField()
        name_key = TextField(unique=True)
        email = TextField(default="")
        phone = TextField(default="")
        created_at = DateTimeField()

    class Badge(Base):
        name = TextField()
        name_key = TextField()
        abbreviation = TextField()
        font_color = TextField()
        background_color = TextField()
        in_sequence = BooleanField(default=False)
        position = IntegerField()
        archived = BooleanField(default=False)

    class Status(Badge):
        class Meta:
            table_name = "status"

    class Action(Badge):
        class Meta:
            table_name = "action"

    class Variable(Base):
        name = TextField()
        name_key = TextField(unique=True)
        type = TextField(
            constraints=[Check("type IN ('text', 'currency', 'date', 'number', 'dropdown')")]
        )
        position = IntegerField()
        archived = BooleanField(default=False)

    class Option(Badge):
        variable = ForeignKeyField(Variable, on_delete="CASCADE", index=False)

        class Meta:
            table_name = "option"

    class Note(Base):
        id = BigIntegerField(primary_key=True)
        customer = ForeignKeyField(Customer, index=False)
        action = ForeignKeyField(Action, null=True, index=False)
        status = ForeignKeyField(Status, null=True, index=False)
        assignee = ForeignKeyField(User, null=True, index=False, backref="a")
        author = ForeignKeyField(User, index=False, backref="b")
        body = TextField(default="")
        follow_up = DateField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        version = IntegerField(default=1)

    class NoteValue(Base):
        note = ForeignKeyField(Note, on_delete="CASCADE", index=False)
        variable = ForeignKeyField(Variable, on_delete="CASCADE", index=False)
        value_text = TextField(null=True)
        value_key = TextField(null=True)
        value_num = DoubleField(null=True)
        value_cents = BigIntegerField(null=True)
        value_date = DateField(null=True)
        option = ForeignKeyField(Option, null=True, index=False)

        class Meta:
            table_name = "note_value"
            primary_key = CompositeKey("note", "variable")

    class Change(Base):
        at = DateTimeField()
        user = ForeignKeyField(User, null=True, index=False)
        batch = BigIntegerField()
        entity = TextField()
        entity_id = BigIntegerField()
        field = TextField()
        old = TextField(null=True)
        new = TextField(null=True)

        class Meta:
            table_name = "change"

    class SavedView(Base):
        user = ForeignKeyField(User, on_delete="CASCADE", index=False)
        name = TextField()
        name_key = TextField()
        definition = TextField()

        class Meta:
            table_name = "saved_view"

    class Preference(Base):
        user = ForeignKeyField(User, on_delete="CASCADE", index=False)
        key = TextField()
        value = TextField()

        class Meta:
            table_name = "preference"
            primary_key = CompositeKey("user", "key")

    return [
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
    ]


# Every sort the app offers is served by one index walk; see crm_tui/db/models.py.
INDEXES = [
    "CREATE UNIQUE INDEX status_name_key ON status (name_key)",
    "CREATE INDEX status_position ON status (position, id)",
    "CREATE UNIQUE INDEX action_name_key ON action (name_key)",
    "CREATE INDEX action_position ON action (position, id)",
    "CREATE UNIQUE INDEX option_name_key ON option (variable_id, name_key)",
    "CREATE INDEX option_position ON option (variable_id, position, id)",
    "CREATE INDEX note_customer ON note (customer_id, id)",
    "CREATE INDEX note_status ON note (status_id, id)",
    "CREATE INDEX note_action ON note (action_id, id)",
    "CREATE INDEX note_assignee ON note (assignee_id, id)",
    "CREATE INDEX note_author ON note (author_id, id)",
    "CREATE INDEX note_follow_up ON note (follow_up, id)",
    "CREATE INDEX note_follow_up_newest ON note (follow_up, id DESC) WHERE follow_up IS NOT NULL",
    "CREATE INDEX note_created_newest ON note (created_at, id DESC)",
    "CREATE INDEX change_entity ON change (entity, entity_id, id)",
    "CREATE INDEX change_user ON change (user_id, id)",
    "CREATE INDEX change_batch ON change (batch)",
    "CREATE UNIQUE INDEX saved_view_name ON saved_view (user_id, name_key)",
]
for _column in ("value_key", "value_num", "value_cents", "value_date"):
    INDEXES.append(
        f"CREATE INDEX note_value_{_column} ON note_value (variable_id, {_column}, note_id)"
        f" WHERE {_column} IS NOT NULL"
    )
    INDEXES.append(
        f"CREATE INDEX note_value_{_column}_newest ON note_value"
        f" (variable_id, {_column}, note_id DESC) WHERE {_column} IS NOT NULL"
    )
INDEXES.append(
    "CREATE INDEX note_value_option ON note_value (variable_id, option_id, note_id)"
    " WHERE option_id IS NOT NULL"
)

SQLITE_SEARCH = [
    "CREATE VIEW note_search_content AS SELECT n.id AS id, n.body AS body,"
    " c.name AS customer FROM note n JOIN customer c ON c.id = n.customer_id",
    "CREATE VIRTUAL TABLE note_fts USING fts5(body, customer,"
    " content='note_search_content', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
]
POSTGRES_SEARCH = [
    "CREATE TABLE note_search (note_id BIGINT PRIMARY KEY"
    " REFERENCES note (id) ON DELETE CASCADE, document TSVECTOR NOT NULL)",
    "CREATE INDEX note_search_document ON note_search USING GIN (document)",
]


# Sort keys are folded text compared byte by byte, as SQLite does: PostgreSQL must not
# apply a locale's collation to them (it would skip spaces and punctuation).
POSTGRES_BYTE_ORDER = [
    f'ALTER TABLE "{table}" ALTER COLUMN {column} TYPE TEXT COLLATE "C"'
    for table, column in (
        ("user", "name_key"),
        ("customer", "name_key"),
        ("status", "name_key"),
        ("action", "name_key"),
        ("variable", "name_key"),
        ("option", "name_key"),
        ("note_value", "value_key"),
    )
]


def up(migrator, db):
    db.create_tables(_frozen_models(db))
    if not isinstance(db, SqliteDatabase):
        for statement in POSTGRES_BYTE_ORDER:
            db.execute_sql(statement)
    for statement in INDEXES:
        db.execute_sql(statement)
    is_sqlite = isinstance(db, SqliteDatabase)
    for statement in SQLITE_SEARCH if is_sqlite else POSTGRES_SEARCH:
        db.execute_sql(statement)
