"""Survey analysis: a pure library that takes plain data and returns plain data.

It never imports Flask, SQLAlchemy or ``survey_app`` so that it can be tested, benchmarked and
reused (notebooks, batch jobs) without starting the web application.
"""
