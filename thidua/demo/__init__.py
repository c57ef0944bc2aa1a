"""The demo year, the top layer (it may import every app): `loader.load_demo` loads the
seed's year and what happened in it since; `manage.py seed_demo` runs it."""
