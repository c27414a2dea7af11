"""心育督导 · the Streamlit app: log-in, role-based navigation, and the pages of schools and inspectors.

Run with `streamlit run app.py`. On first start the store creates the SQLite file under the data
folder and loads the demo district. This file only routes: who is signed in decides which pages
`st.navigation` offers; the pages draw what the service layer returns.

`app` is the ASGI application `streamlit run app.py` serves (Streamlit finds it by its name): the
Streamlit server plus the two routes that set and clear the HttpOnly session cookie (`ui.http`).
When Streamlit runs this file as the script of a browser session, `main()` draws the page.
"""

from __future__ import annotations

import streamlit as st

from settings import Settings
from store.services import Services
from ui import context, http, native, nav, router, session, shell, state
from ui.context import AppCtx
from ui.services import services, settings
from ui.widgets import show_error, show_flashes


def main() -> None:
    """One run of the app for one browser session."""
    conf = settings()
    state.set_lang(state.session().get(state.LANG) or conf.lang)
    shell.page_config(conf)
    native.cover_english()
    shell.logo(conf)
    try:
        sv = services()
        ctx = signed_in(sv, conf)
        visible = menu(sv, ctx)
    except Exception as error:  # the database cannot be opened, or is busy: say so in words, draw nothing else
        show_error(error)
        return
    page = router.navigation(visible, signed_in=ctx is not None)
    shell.header(conf, ctx)
    show_flashes()
    router.run(page)
    for script in state.take_scripts():
        st.html(script, unsafe_allow_javascript=True)
    if ctx is not None:
        state.touch()


def signed_in(sv: Services, conf: Settings) -> AppCtx | None:
    """The run's context when someone is signed in (idle sessions and refused accounts are signed out)."""
    session.expire_if_idle(conf, sv)
    state.session()[state.IDLE_LIMIT] = conf.session_idle_minutes * 60
    user = session.refreshed_user(sv)
    return context.build(sv, conf, user) if user is not None else None


def menu(sv: Services, ctx: AppCtx | None) -> list[nav.PageSpec]:
    """The pages of the navigation table this user may use now."""
    if ctx is None:
        return nav.pages_for(None)
    leads = session.leads_in(sv, ctx.user, ctx.cycle)
    return nav.pages_for(ctx.user.role, leads=leads, must_change_password=ctx.user.must_change_password)


app = st.App(__file__, routes=http.routes())

if __name__ == "__main__":
    main()
