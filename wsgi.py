"""WSGI entry point for production: `gunicorn wsgi:app`. It refuses to start with an unsafe
configuration (see `insight doctor`); the development server, `insight serve`, does not check."""

from survey_app import create_app
from survey_app.production import refuse_unsafe

app = create_app()
refuse_unsafe(app)
