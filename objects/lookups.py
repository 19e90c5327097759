"""`field__any=[...]`: membership in a list, sent as ONE array parameter on PostgreSQL.

`field__in` with a thousand values writes a thousand placeholders, which the
driver parses and the server plans on every import batch (a third of the
importer's time). `= ANY(%s)` passes the list as one array and uses the same
index. Other databases get the ordinary IN.
"""

from django.db.models import Field, ForeignObject, Lookup
from django.db.models.lookups import In


@ForeignObject.register_lookup  # related fields keep lookups of their own
@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prepare = self.lhs.output_field.get_db_prep_value
        # Text and whole numbers go as they are (an import's 1,000 accession
        # numbers); anything else as the field would store it.
        values = [v if type(v) in (str, int) else prepare(v, connection) for v in self.rhs]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]
