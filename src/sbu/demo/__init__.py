"""The demo scenario: Ondine Télécom, its ecosystem, and 30 days of posts on five platforms.

See docs/demo.md. Entry points: :func:`sbu.demo.loader.load_demo` (``sbu demo``),
:func:`sbu.demo.loader.start_live` (``sbu serve --demo-live``) and the ``demo`` connector
(:mod:`sbu.demo.connector`).
"""
