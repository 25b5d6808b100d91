"""The application layer: what the command line does to files.

- :mod:`.files` finds, reads (in bounded chunks) and atomically writes files;
  :mod:`.config` reads ``[tool.textforensics]``; :mod:`.baseline` keeps accepted findings.
- :mod:`.scan`, :mod:`.fix`, :mod:`.strip`, :mod:`.compare`, :mod:`.dupes`: one module
  per command, each calling the public library and returning plain values.
- :mod:`.report` locates findings in files (rules, named characters, fingerprints);
  :mod:`.render` turns them into terminal text, :mod:`.sarif` into SARIF, and
  :mod:`.output` holds the JSON header every command shares.

Nothing here prints or exits; ``textforensics.cli`` does. Input problems are handed to a
:class:`~textforensics.app.output.Reporter` as they happen.
"""
