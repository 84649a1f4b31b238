"""Full-text search of posts: SQLite FTS5, or PostgreSQL text search in Finnish and Swedish.

SQLite: an external-content FTS5 table kept in step by triggers (unicode61 folds case,
including Ä/Ö; diacritics are kept so "sää" and "saa" stay different words).
PostgreSQL: a stored generated tsvector per post in the post's language's configuration
(finnish unless the post says sv or en) with a GIN index.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE listening_post_fts USING fts5(
        title, text, content='listening_post', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER listening_post_fts_ai AFTER INSERT ON listening_post BEGIN
        INSERT INTO listening_post_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER listening_post_fts_ad AFTER DELETE ON listening_post BEGIN
        INSERT INTO listening_post_fts(listening_post_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER listening_post_fts_au AFTER UPDATE OF title, text ON listening_post BEGIN
        INSERT INTO listening_post_fts(listening_post_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO listening_post_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS listening_post_fts_au",
    "DROP TRIGGER IF EXISTS listening_post_fts_ad",
    "DROP TRIGGER IF EXISTS listening_post_fts_ai",
    "DROP TABLE IF EXISTS listening_post_fts",
]
POSTGRES_UP = [
    """ALTER TABLE listening_post ADD COLUMN search tsvector GENERATED ALWAYS AS (
        to_tsvector(
            CASE language WHEN 'sv' THEN 'swedish'::regconfig
                          WHEN 'en' THEN 'english'::regconfig
                          ELSE 'finnish'::regconfig END,
            coalesce(title, '') || ' ' || coalesce(text, ''))
    ) STORED""",
    "CREATE INDEX listening_post_search_idx ON listening_post USING GIN (search)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS listening_post_search_idx",
    "ALTER TABLE listening_post DROP COLUMN IF EXISTS search",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("listening", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
