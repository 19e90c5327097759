"""The collection importer: read a file, check each row, write in batches.

readers.py and tate.py turn files into rows of text; rows.py checks a row;
source.py adds checks across the file; writer.py writes batches; the entry
point is objects.services.collection_import.
"""
