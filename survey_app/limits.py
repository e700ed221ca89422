"""Rate limits (staff login). In memory by default; several workers share Redis through
RATELIMIT_STORAGE_URI=redis://host:6379."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)
