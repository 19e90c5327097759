"""Browse lists objects with images first, then in the order chosen. That order
must come from an index at a million objects, and an index cannot look into
another table, so each object carries `has_image`.

Database triggers keep it, not Python signals: images are also written in bulk
(the importer's COPY and deletes, the bench commands), where signals never fire.
On PostgreSQL, statement-level triggers on objects_objectimage recompute the
objects a statement touched, and a row trigger on objects_collectionobject
recomputes it on every write, so a save from a stale instance or a published
revision can never store an old value. SQLite (the laptop database) gets row
triggers doing the same.

The listing indexes gain `has_image DESC` after `live`; the title and
type-and-date indexes only browse used are replaced, the date index stays for
the maker, production, subject and place pages. The newest-first index moves
too (PostgreSQL only, as in 0003: SQLite cannot index NULLS LAST).
"""

from django.db import migrations, models

POSTGRES_TRIGGERS = """
CREATE FUNCTION objects_object_has_image() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.has_image := EXISTS (SELECT 1 FROM objects_objectimage WHERE object_id = NEW.id);
    RETURN NEW;
END $$;
CREATE TRIGGER object_has_image BEFORE INSERT OR UPDATE ON objects_collectionobject
    FOR EACH ROW EXECUTE FUNCTION objects_object_has_image();

-- The objects a statement gave or took images. Only images added, removed or
-- moved count: an edit of an image's caption or order leaves objects alone.
CREATE FUNCTION objects_image_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE objects_collectionobject SET has_image = true
        WHERE id IN (SELECT object_id FROM changed_new) AND NOT has_image;
    RETURN NULL;
END $$;
CREATE FUNCTION objects_image_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE objects_collectionobject SET has_image = EXISTS (
            SELECT 1 FROM objects_objectimage WHERE object_id = objects_collectionobject.id
        )
        WHERE id IN (SELECT object_id FROM changed_old) AND has_image;
    RETURN NULL;
END $$;
CREATE FUNCTION objects_image_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE objects_collectionobject SET has_image = EXISTS (
            SELECT 1 FROM objects_objectimage WHERE object_id = objects_collectionobject.id
        )
        WHERE id IN (
            SELECT unnest(ARRAY[changed_old.object_id, changed_new.object_id])
            FROM changed_old JOIN changed_new USING (id)
            WHERE changed_old.object_id <> changed_new.object_id
        );
    RETURN NULL;
END $$;
CREATE TRIGGER image_added AFTER INSERT ON objects_objectimage
    REFERENCING NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION objects_image_added();
CREATE TRIGGER image_removed AFTER DELETE ON objects_objectimage
    REFERENCING OLD TABLE AS changed_old
    FOR EACH STATEMENT EXECUTE FUNCTION objects_image_removed();
CREATE TRIGGER image_moved AFTER UPDATE ON objects_objectimage
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION objects_image_moved();

UPDATE objects_collectionobject SET has_image = true
    WHERE id IN (SELECT object_id FROM objects_objectimage);

DROP INDEX IF EXISTS object_live_date_desc;
CREATE INDEX object_live_image_date_desc ON objects_collectionobject
    (live, has_image DESC, date_earliest DESC NULLS LAST, id DESC);
"""

POSTGRES_DROP = """
DROP INDEX IF EXISTS object_live_image_date_desc;
CREATE INDEX IF NOT EXISTS object_live_date_desc ON objects_collectionobject
    (live, date_earliest DESC NULLS LAST, id DESC);
DROP TRIGGER image_added ON objects_objectimage;
DROP TRIGGER image_removed ON objects_objectimage;
DROP TRIGGER image_moved ON objects_objectimage;
DROP FUNCTION objects_image_added();
DROP FUNCTION objects_image_removed();
DROP FUNCTION objects_image_moved();
DROP TRIGGER object_has_image ON objects_collectionobject;
DROP FUNCTION objects_object_has_image();
"""

SQLITE_HAS_IMAGE = "EXISTS (SELECT 1 FROM objects_objectimage WHERE object_id = {id})"
SQLITE_TRIGGERS = [
    """CREATE TRIGGER image_added AFTER INSERT ON objects_objectimage BEGIN
        UPDATE objects_collectionobject SET has_image = 1 WHERE id = NEW.object_id; END""",
    f"""CREATE TRIGGER image_removed AFTER DELETE ON objects_objectimage BEGIN
        UPDATE objects_collectionobject SET has_image = {SQLITE_HAS_IMAGE.format(id="OLD.object_id")}
        WHERE id = OLD.object_id; END""",
    f"""CREATE TRIGGER image_moved AFTER UPDATE OF object_id ON objects_objectimage BEGIN
        UPDATE objects_collectionobject SET has_image = 1 WHERE id = NEW.object_id;
        UPDATE objects_collectionobject SET has_image = {SQLITE_HAS_IMAGE.format(id="OLD.object_id")}
        WHERE id = OLD.object_id; END""",
    # A write of a stale value is corrected at once (SQLite's BEFORE triggers cannot
    # change the row; recursive triggers are off, so the correction stops there).
    f"""CREATE TRIGGER object_has_image AFTER UPDATE OF has_image ON objects_collectionobject
        WHEN NEW.has_image IS NOT {SQLITE_HAS_IMAGE.format(id="NEW.id")} BEGIN
        UPDATE objects_collectionobject SET has_image = NOT NEW.has_image WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER object_has_image_new AFTER INSERT ON objects_collectionobject
        WHEN NEW.has_image IS NOT {SQLITE_HAS_IMAGE.format(id="NEW.id")} BEGIN
        UPDATE objects_collectionobject SET has_image = NOT NEW.has_image WHERE id = NEW.id; END""",
    f"""UPDATE objects_collectionobject SET has_image = {SQLITE_HAS_IMAGE.format(id="objects_collectionobject.id")}""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "image_added", "image_removed", "image_moved", "object_has_image", "object_has_image_new"
    )
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGERS)
    elif vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("objects", "0012_drop_indexes_covered_by_listing_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="collectionobject", name="object_live_title"),
        migrations.RemoveIndex(model_name="collectionobject", name="object_live_type_date"),
        migrations.AddField(
            model_name="collectionobject",
            name="has_image",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddIndex(
            model_name="collectionobject",
            index=models.Index(
                fields=["live", "-has_image", "date_earliest", "id"], name="object_live_image_date"
            ),
        ),
        migrations.AddIndex(
            model_name="collectionobject",
            index=models.Index(
                fields=["live", "-has_image", "title", "id"], name="object_live_image_title"
            ),
        ),
        migrations.AddIndex(
            model_name="collectionobject",
            index=models.Index(
                fields=["live", "-has_image", "-title", "-id"], name="object_live_image_title_desc"
            ),
        ),
        migrations.AddIndex(
            model_name="collectionobject",
            index=models.Index(
                fields=["live", "object_type", "-has_image", "date_earliest", "id"],
                name="object_live_type_image_date",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
