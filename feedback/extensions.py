import flask_login
from flask import session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect


class LoginManager(flask_login.LoginManager):
    def _session_protection_failed(self) -> bool:
        # "Strong" protection guards a signed-in session. Flask-Login also runs it on
        # sessions nobody signed in with (a young person's), where it finds nothing to
        # remove but still marks the session changed: a new session cookie and a
        # remember-me deletion on every page, bytes a young person's phone pays for.
        if "_user_id" not in session:
            return False
        return super()._session_protection_failed()


csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "staff.sign_in"
login_manager.login_message = "Sign in to see that page."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"
# No default limits: only where guessing is the threat (sign-in, codes, PINs). Every limit
# of a request is checked even after one is breached, so that the 429 page can say when
# all of them will let the next try through (a day's window can outlast a minute's).
limiter = Limiter(key_func=get_remote_address, default_limits=[], fail_on_first_breach=False)
