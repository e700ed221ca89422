"""WSGI entry point for production: `gunicorn wsgi:app`. It refuses to start with an unsafe
configuration (see `insight doctor`); the development server, `insight serve`, does not check.
Each worker then counts the surveys' responses for the dashboard in the background
(`WARM_DASHBOARD`)."""

from survey_app import create_app
from survey_app.production import refuse_unsafe
from survey_app.staff.dashboard.service import warm_in_background

app = create_app()
refuse_unsafe(app)
if app.config["WARM_DASHBOARD"]:
    warm_in_background(app)
