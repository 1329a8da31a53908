from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

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
