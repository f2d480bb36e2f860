"""asv benchmarks of tracejit (configuration: ../asv.conf.json; how to run: docs/benchmarks.md).

Every module here uses only tracejit's public API (``tracejit.VM``, ``load_file``,
``call``, ``stats`` and the JIT event listeners), because asv runs the benchmarks of
the current checkout against the tracejit of older commits too.
"""
