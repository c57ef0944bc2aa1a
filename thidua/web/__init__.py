"""The shell of the site, above every domain app; no domain app imports it.

`web` keeps only what belongs to no single app:
- `views_home`: the home page (the person's campaign dashboard and next actions) and the
  search box;
- `actions`: the next actions on the home page. What is due comes from each app's
  selectors (the reminders in `notifications` read the same ones); this module only words
  it, links it and ranks it by the urgency bands;
- `context_processors` (the navigation), `middleware` (the language), `urls` for the shell
  (home, search, login, logout) and the shell-level `rundemo` command;
- templates/web/: the home page and search results.

Each domain app owns its pages (views, forms, urls, templates/<app>/); the shared page
helpers live in `thidua.pages`.
"""
