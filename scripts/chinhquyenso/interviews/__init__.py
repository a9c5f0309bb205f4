"""In-depth interviews as a third source beside the survey and the documents.

Declared in config ``interviews:`` (register, transcripts, protected names, themes, coded
excerpts; every path inside the project). ``stage.write_stage`` verifies every quote against its
transcript (``verify``), protects the speakers (``protect``) and writes the tables the report
reads under results/interviews/. ``qdpx`` imports coded segments from a REFI-QDA project.
"""
